package dev.switchboard.transports.rabbitmq;

import io.vertx.core.net.TrustOptions;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The authorities the broker's certificate must chain to, as Vert.x trust options that also check
 * the broker's host name ({@link HostNameCheckingTrustManager}): the trust store of the settings
 * (PEM by a {@code .pem}/{@code .crt} name, PKCS#12 by {@code .p12}/{@code .pfx}, else JKS), or the
 * JVM's default authorities when none is given.
 */
final class BrokerTrust {

  private BrokerTrust() {
  }

  static TrustOptions of(RabbitMqSettings.Tls tls) {
    KeyStore trusted = tls.trustStorePath().isEmpty() ? null : load(tls.trustStorePath(), tls.trustStorePassword());
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted); // null: the JVM's default authorities
      X509ExtendedTrustManager jdk = Arrays.stream(factory.getTrustManagers())
          .filter(X509ExtendedTrustManager.class::isInstance).map(X509ExtendedTrustManager.class::cast)
          .findFirst().orElseThrow(() -> new IllegalStateException("the JVM offers no X.509 trust manager"));
      return TrustOptions.wrap((TrustManager) new HostNameCheckingTrustManager(jdk));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("transport.rabbitmq: cannot use the trust store " + tls.trustStorePath()
          + " (" + e.getMessage() + ")");
    }
  }

  private static KeyStore load(String path, String password) {
    String name = path.toLowerCase(Locale.ROOT);
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      if (name.endsWith(".pem") || name.endsWith(".crt")) {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("ca-" + i++, certificate);
        }
        if (i == 0) {
          throw new IllegalArgumentException("transport.rabbitmq.trustStorePath: no certificate in " + path);
        }
        return store;
      }
      KeyStore store = KeyStore.getInstance(name.endsWith(".p12") || name.endsWith(".pfx") ? "PKCS12" : "JKS");
      store.load(in, password.isEmpty() ? null : password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      // the reason only: never the password
      throw new IllegalArgumentException("transport.rabbitmq.trustStorePath: cannot read " + path + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }
}
