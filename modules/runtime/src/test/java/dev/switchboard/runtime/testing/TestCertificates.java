package dev.switchboard.runtime.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TLS material made at test time, so that no certificate (nor key) lives in the repository and none
 * expires under a test: a test CA, certificates it signs, and an unknown CA with its own, written as
 * PEM and PKCS#12 into a folder.
 *
 * <p>Every leaf certificate serves both ends (server and client authentication), so one certificate
 * can be a TLS listener's and a clustered node's. The PKCS#12 files use {@link #PASSWORD}.
 *
 * <pre>{@code
 * TestCertificates tls = TestCertificates.in(tempDir);
 * Issued server = tls.localhost();     // SAN localhost, 127.0.0.1: hostname verification passes
 * Issued wrong  = tls.wrongHost();     // same CA, SAN wrong.example: hostname verification fails
 * Issued rogue  = tls.unknownCa();     // SAN localhost, 127.0.0.1, signed by a CA nobody trusts
 * Path trust    = tls.caPem();         // what a client trusts
 * }</pre>
 */
public final class TestCertificates {

  /** The password of every PKCS#12 file made here (test material only). */
  public static final String PASSWORD = "changeit";

  /** The host names a certificate for this machine's test listeners carries. */
  public static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1");

  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final Authority ca;
  private final Authority unknown;
  private final Issued localhost;
  private final Issued wrongHost;
  private final Issued unknownCa;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.ca = Authority.create("Switchboard Test CA");
    this.unknown = Authority.create("Unknown Test CA");
    write(dir.resolve("ca.pem"), pem(ca.certificate));
    write(dir.resolve("unknown-ca.pem"), pem(unknown.certificate));
    writeTrustStore(dir.resolve("ca.p12"), ca.certificate);
    writeTrustStore(dir.resolve("unknown-ca.p12"), unknown.certificate);
    this.localhost = issue(ca, "localhost", LOCAL_NAMES);
    this.wrongHost = issue(ca, "wrong-host", List.of("wrong.example"));
    this.unknownCa = issue(unknown, "unknown-ca-localhost", LOCAL_NAMES);
  }

  /** Makes the CAs and the standard certificates into {@code dir} (which must exist). */
  public static TestCertificates in(Path dir) {
    return new TestCertificates(dir);
  }

  /** The test CA's certificate, PEM: what clients and servers trust. */
  public Path caPem() {
    return dir.resolve("ca.pem");
  }

  /** The test CA's certificate in a PKCS#12 trust store (password {@link #PASSWORD}). */
  public Path caPkcs12() {
    return dir.resolve("ca.p12");
  }

  /** The unknown CA's certificate, PEM: trusting it, a client refuses certificates of the test CA. */
  public Path unknownCaPem() {
    return dir.resolve("unknown-ca.pem");
  }

  /** The unknown CA's certificate in a PKCS#12 trust store. */
  public Path unknownCaPkcs12() {
    return dir.resolve("unknown-ca.p12");
  }

  /** Signed by the test CA for {@code localhost} and {@code 127.0.0.1}. */
  public Issued localhost() {
    return localhost;
  }

  /** Signed by the test CA, for {@code wrong.example} only: a client checking the host name refuses it. */
  public Issued wrongHost() {
    return wrongHost;
  }

  /** For {@code localhost} and {@code 127.0.0.1}, signed by a CA nobody trusts. */
  public Issued unknownCa() {
    return unknownCa;
  }

  /** Another certificate of the test CA, e.g. a client's or a second node's, named {@code name}. */
  public Issued issue(String name) {
    return issue(ca, name, LOCAL_NAMES);
  }

  /** Another certificate of the unknown CA, named {@code name}. */
  public Issued issueByUnknownCa(String name) {
    return issue(unknown, name, LOCAL_NAMES);
  }

  /** An SSL context trusting only the test CA (for clients such as {@code java.net.http}). */
  public SSLContext trustingCa() {
    return sslContext(null, ca.certificate);
  }

  /** An SSL context trusting only the unknown CA. */
  public SSLContext trustingUnknownCa() {
    return sslContext(null, unknown.certificate);
  }

  /** An SSL context presenting {@code identity} and trusting the test CA (server side or mutual TLS). */
  public SSLContext presenting(Issued identity) {
    return sslContext(identity, ca.certificate);
  }

  /**
   * A certificate and its key.
   *
   * @param certPem the certificate, PEM
   * @param chainPem the certificate followed by its CA's, PEM
   * @param keyPem the private key, PKCS#8 PEM, unencrypted
   * @param pkcs12 key and chain in a PKCS#12 key store, password {@link #PASSWORD}
   */
  public record Issued(String name, Path certPem, Path chainPem, Path keyPem, Path pkcs12, PrivateKey key,
                       X509Certificate[] chain) {
  }

  private Issued issue(Authority issuer, String name, List<String> hosts) {
    KeyPair keys = newKeyPair();
    X509Certificate certificate = sign(issuer, keys, name, hosts);
    X509Certificate[] chain = {certificate, issuer.certificate};
    Path cert = dir.resolve(name + ".crt.pem");
    Path chainFile = dir.resolve(name + ".chain.pem");
    Path key = dir.resolve(name + ".key.pem");
    Path pkcs12 = dir.resolve(name + ".p12");
    write(cert, pem(certificate));
    write(chainFile, pem(certificate) + pem(issuer.certificate));
    write(key, pem(keys.getPrivate()));
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(name, keys.getPrivate(), PASSWORD.toCharArray(), chain);
      save(store, pkcs12);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot write " + pkcs12, e);
    }
    return new Issued(name, cert, chainFile, key, pkcs12, keys.getPrivate(), chain);
  }

  private static X509Certificate sign(Authority issuer, KeyPair keys, String name, List<String> hosts) {
    try {
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          issuer.certificate, BigInteger.valueOf(SERIALS.incrementAndGet()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))),
          new X500Name("CN=" + name + ",O=Switchboard tests"), keys.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(hosts));
      builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          extensions.createAuthorityKeyIdentifier(issuer.certificate));
      return toCertificate(builder.build(signer(issuer.key)));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make a certificate for " + name, e);
    }
  }

  private static GeneralNames subjectAlternativeNames(List<String> hosts) {
    List<GeneralName> names = new ArrayList<>();
    for (String host : hosts) {
      boolean ip = host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
      names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
    }
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  /** A self-signed certificate authority. */
  private record Authority(PrivateKey key, X509Certificate certificate) {
    static Authority create(String name) {
      KeyPair keys = newKeyPair();
      try {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + name + ",O=Switchboard tests");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
            subject, BigInteger.valueOf(SERIALS.incrementAndGet()),
            Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
            keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        return new Authority(keys.getPrivate(), toCertificate(builder.build(signer(keys.getPrivate()))));
      } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
        throw new IllegalStateException("cannot make the CA " + name, e);
      }
    }
  }

  private static org.bouncycastle.operator.ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder("SHA256withRSA").build(key);
  }

  private static X509Certificate toCertificate(X509CertificateHolder holder) throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  // RSA rather than EC: every listener under test (PostgreSQL's OpenSSL, RabbitMQ's Java client,
  // Kafka, Netty) takes it without a second thought
  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private SSLContext sslContext(Issued identity, X509Certificate trusted) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", trusted);
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      KeyManagerFactory keyManagers = null;
      if (identity != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(identity.name(), identity.key(), PASSWORD.toCharArray(), identity.chain());
        keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make an SSL context", e);
    }
  }

  private static void writeTrustStore(Path file, X509Certificate certificate) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("ca", certificate);
      save(store, file);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
  }

  private static void save(KeyStore store, Path file) throws GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD.toCharArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pem(Object value) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      // PKCS#8 ("PRIVATE KEY"): the form OpenSSL, Netty and Kafka all read
      writer.writeObject(value instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static void write(Path file, String text) {
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      writer.write(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
