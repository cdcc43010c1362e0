package dev.switchboard.stores.postgres;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

import javax.net.ssl.TrustManagerFactory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TLS towards PostgreSQL, the same for every connection of the store: the pools, the writer, the
 * notification listener, the leases (vertx-pg-client) and the migration (Flyway over JDBC).
 *
 * <p>The modes are libpq's: {@code disable}; {@code allow}, {@code prefer} and {@code require}
 * encrypt without checking whom they talk to, unless a root certificate is given, in which case the
 * server's certificate must chain to it (as libpq does with a {@code root.crt}); {@code verify-ca}
 * checks the chain; {@code verify-full} checks the chain and that the certificate names the host
 * connected to. The root certificate is a PEM file; without one, {@code verify-*} trust the JVM's
 * default authorities.
 *
 * @param mode     the SSL mode
 * @param rootCert the PEM file of the authorities trusted, or empty
 */
record PostgresTls(SslMode mode, String rootCert) {

  PostgresTls {
    rootCert = rootCert == null ? "" : rootCert.strip();
  }

  /**
   * The mode and root certificate of the store: each setting when given, else the URI's
   * {@code sslmode} / {@code sslrootcert}, else no TLS.
   */
  static PostgresTls of(String sslModeSetting, String rootCertSetting, String uri) {
    Map<String, String> uriParameters = queryParameters(uri);
    String mode = firstSet(sslModeSetting, uriParameters.get("sslmode"), "disable");
    String rootCert = firstSet(rootCertSetting, uriParameters.get("sslrootcert"), "");
    SslMode sslMode;
    try {
      sslMode = SslMode.of(mode);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("store.postgres.sslMode must be one of disable, allow, prefer, require,"
          + " verify-ca, verify-full; was " + mode);
    }
    return new PostgresTls(sslMode, rootCert);
  }

  /** The TLS already set on connect options by {@link #applyTo} (the migration derives its JDBC URL from them). */
  static PostgresTls of(PgConnectOptions options) {
    ClientSSLOptions ssl = options.getSslOptions();
    String rootCert = ssl != null && ssl.getTrustOptions() instanceof PemTrustOptions pem && !pem.getCertPaths().isEmpty()
        ? pem.getCertPaths().get(0) : "";
    return new PostgresTls(options.getSslMode() == null ? SslMode.DISABLE : options.getSslMode(), rootCert);
  }

  /** Whether the server's certificate chain is checked. */
  boolean verifiesChain() {
    return mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL || (mode != SslMode.DISABLE && !rootCert.isEmpty());
  }

  /** Whether the certificate must also name the host connected to. */
  boolean verifiesHost() {
    return mode == SslMode.VERIFY_FULL;
  }

  /** Sets the mode and the trust on the Vert.x options (which otherwise fail on any mode but disable). */
  PgConnectOptions applyTo(PgConnectOptions options) {
    options.setSslMode(effectiveMode());
    if (mode == SslMode.DISABLE) {
      return options;
    }
    ClientSSLOptions ssl = new ClientSSLOptions();
    if (!verifiesChain()) {
      ssl.setTrustAll(true); // encrypted, not authenticated: what require means without a root certificate
    } else {
      ssl.setTrustOptions(trust());
      // vertx-pg-client checks the host name only when given an algorithm; "HTTPS" is RFC 2818's check
      ssl.setHostnameVerificationAlgorithm(verifiesHost() ? "HTTPS" : "");
    }
    return options.setSslOptions(ssl);
  }

  /** The JDBC driver's parameters for the same checks (pgjdbc never verifies under require). */
  Map<String, String> jdbcParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (mode == SslMode.DISABLE) {
      return parameters;
    }
    parameters.put("sslmode", effectiveMode().value);
    if (!rootCert.isEmpty()) {
      parameters.put("sslrootcert", rootCert);
    } else if (verifiesChain()) {
      // pgjdbc would look for ~/.postgresql/root.crt; the JVM's authorities are what Vert.x trusts here
      parameters.put("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
    }
    return parameters;
  }

  /** A root certificate turns allow/prefer/require into verify-ca, as libpq does. */
  private SslMode effectiveMode() {
    if (verifiesChain() && mode != SslMode.VERIFY_FULL) {
      return SslMode.VERIFY_CA;
    }
    return mode;
  }

  private TrustOptions trust() {
    if (!rootCert.isEmpty()) {
      if (!Files.isReadable(Path.of(rootCert))) {
        throw new IllegalArgumentException("store.postgres.sslRootCert: cannot read " + rootCert);
      }
      return new PemTrustOptions().addCertPath(rootCert);
    }
    try {
      TrustManagerFactory jvmDefault = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jvmDefault.init((KeyStore) null);
      return TrustOptions.wrap(jvmDefault);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM's default trust store cannot be read", e);
    }
  }

  /** The URI's query parameters, decoded (Vert.x's parser keeps sslrootcert to itself). */
  private static Map<String, String> queryParameters(String uri) {
    Map<String, String> parameters = new LinkedHashMap<>();
    int question = uri.indexOf('?');
    if (question < 0) {
      return parameters;
    }
    for (String pair : uri.substring(question + 1).split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return parameters;
  }

  private static String firstSet(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return "";
  }
}
