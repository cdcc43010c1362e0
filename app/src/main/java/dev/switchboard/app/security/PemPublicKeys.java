package dev.switchboard.app.security;

import dev.switchboard.app.config.ConfigurationError;
import io.vertx.ext.auth.PubSecKeyOptions;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code security.jwt.publicKeys}: PEM public keys, each verifying the algorithm its type implies
 * (RSA: RS256; EC on P-256: ES256). Read here once so that a key pasted wrong stops the start, rather
 * than every token later.
 */
final class PemPublicKeys {

  private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String END = "-----END PUBLIC KEY-----";

  private PemPublicKeys() {
  }

  static List<PubSecKeyOptions> options(List<String> pems) {
    List<PubSecKeyOptions> options = new ArrayList<>();
    for (int i = 0; i < pems.size(); i++) {
      String pem = pems.get(i).trim();
      options.add(new PubSecKeyOptions().setAlgorithm(algorithmOf(pem, i)).setBuffer(pem));
    }
    return options;
  }

  private static String algorithmOf(String pem, int index) {
    String where = "security.jwt.publicKeys[" + index + "]";
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new ConfigurationError(where + " is not a PEM public key (" + BEGIN + " … " + END + ")");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationError(where + " is not valid base64 between its PEM lines");
    }
    PublicKey rsa = parse("RSA", der);
    if (rsa != null) {
      return "RS256";
    }
    PublicKey ec = parse("EC", der);
    if (ec instanceof ECPublicKey key && key.getParams().getCurve().getField().getFieldSize() == 256) {
      return "ES256";
    }
    throw new ConfigurationError(where + " is neither an RSA key nor an EC key on P-256 (RS256 or ES256)");
  }

  private static PublicKey parse(String type, byte[] der) {
    try {
      return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      return null;
    }
  }
}
