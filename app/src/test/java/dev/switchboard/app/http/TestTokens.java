package dev.switchboard.app.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * An identity provider for tests: an RSA key pair made at test time, the node configuration that
 * trusts its public key, and tokens signed with its private key (as vertx-auth-jwt mints them).
 */
public final class TestTokens {

  static final String ISSUER = "https://id.test.example";
  static final String AUDIENCE = "switchboard-test";

  private final JWTAuth signer;
  private final String publicKeyPem;
  private final RSAPublicKey publicKey;

  public TestTokens(Vertx vertx) {
    KeyPair pair = rsaKeyPair();
    this.publicKey = (RSAPublicKey) pair.getPublic();
    this.publicKeyPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
    this.signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("RS256").setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded()))));
  }

  /** {@code security} of a node that trusts these tokens. */
  public JsonObject securityConfig() {
    return new JsonObject().put("mode", "jwt").put("jwt", new JsonObject()
        .put("publicKeys", new JsonArray().add(publicKeyPem))
        .put("issuer", ISSUER)
        .put("audience", AUDIENCE)
        .put("rolesClaim", "roles"));
  }

  String publicKeyPem() {
    return publicKeyPem;
  }

  /** The public key as a JWKS document would list it. */
  JsonObject jwk() {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    return new JsonObject().put("kty", "RSA").put("alg", "RS256").put("use", "sig")
        .put("n", base64.encodeToString(unsigned(publicKey.getModulus())))
        .put("e", base64.encodeToString(unsigned(publicKey.getPublicExponent())));
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  public String customer(String customerId) {
    return token(customerId, "customer");
  }

  public String operator(String name) {
    return token(name, "operator");
  }

  /** A token for {@code subject} with the given roles, valid for five minutes. */
  String token(String subject, String... roles) {
    return sign(claims(subject, roles), new JWTOptions().setExpiresInSeconds(300).setIssuer(ISSUER)
        .setAudience(List.of(AUDIENCE)));
  }

  String expired(String subject, String role) {
    return sign(claims(subject, role).put("exp", Instant.now().minusSeconds(3600).getEpochSecond()),
        new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE)));
  }

  /** A token whose {@code exp} is {@code secondsAgo} in the past: accepted still within the verifier's leeway. */
  String expiredSecondsAgo(long secondsAgo, String subject, String role) {
    return sign(claims(subject, role).put("exp", Instant.now().minusSeconds(secondsAgo).getEpochSecond()),
        new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE)));
  }

  String withoutExpiry(String subject, String role) {
    return sign(claims(subject, role), new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE)));
  }

  String forAudience(String audience, String subject, String role) {
    return sign(claims(subject, role), new JWTOptions().setExpiresInSeconds(300).setIssuer(ISSUER)
        .setAudience(List.of(audience)));
  }

  String fromIssuer(String issuer, String subject, String role) {
    return sign(claims(subject, role), new JWTOptions().setExpiresInSeconds(300).setIssuer(issuer)
        .setAudience(List.of(AUDIENCE)));
  }

  /** A token that says what it likes and is signed by no one ({@code alg: none}). */
  static String unsigned(String subject, String role) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String header = new JsonObject().put("alg", "none").put("typ", "JWT").encode();
    String payload = claims(subject, role).put("iss", ISSUER).put("aud", AUDIENCE)
        .put("exp", Instant.now().plusSeconds(300).getEpochSecond()).encode();
    return base64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + base64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  private String sign(JsonObject claims, JWTOptions options) {
    return signer.generateToken(claims, options.setAlgorithm("RS256"));
  }

  private static JsonObject claims(String subject, String... roles) {
    JsonArray list = new JsonArray();
    for (String role : roles) {
      list.add(role);
    }
    return new JsonObject().put("sub", subject).put("roles", list);
  }

  static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
