package dev.switchboard.app.cluster;

import dev.switchboard.app.config.ConfigurationError;
import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * TLS with client certificates between the event buses of clustered nodes ({@code cluster.tls.*}):
 * each node presents its certificate (PEM {@code certPath} + {@code keyPath}, or a PKCS#12
 * {@code keyStorePath}) and accepts only peers whose certificate chains to the cluster's
 * authorities ({@code trustStorePath}: PEM by a {@code .pem}/{@code .crt} name, else PKCS#12), in
 * both directions: a node without such a certificate can neither send to the others nor receive
 * from them. Give the cluster an authority of its own: any certificate it signed is a member.
 */
public record ClusterTls(boolean enabled, String certPath, String keyPath, String keyStorePath,
                         String keyStorePassword, String trustStorePath, String trustStorePassword) {

  public static final ClusterTls OFF = new ClusterTls(false, "", "", "", "", "", "");

  public ClusterTls {
    certPath = orEmpty(certPath);
    keyPath = orEmpty(keyPath);
    keyStorePath = orEmpty(keyStorePath);
    keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
    trustStorePath = orEmpty(trustStorePath);
    trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
    if (enabled) {
      boolean pem = !certPath.isEmpty() || !keyPath.isEmpty();
      if (pem == !keyStorePath.isEmpty()) {
        throw new ConfigurationError("cluster.tls.enabled needs either cluster.tls.certPath and cluster.tls.keyPath"
            + " (PEM) or cluster.tls.keyStorePath (PKCS#12), not both or neither");
      }
      if (pem) {
        readable("certPath", certPath);
        readable("keyPath", keyPath);
      } else {
        readable("keyStorePath", keyStorePath);
      }
      // no default: trusting the JVM's public authorities would let anyone with a web certificate in
      readable("trustStorePath", trustStorePath);
    }
  }

  /** Reads {@code cluster.tls}, every key of it ({@code config/default.json} gives each its default). */
  public static ClusterTls from(JsonObject tls) {
    ConfigSection section = ConfigSection.of("cluster.tls", tls);
    return new ClusterTls(section.flag("enabled"), section.text("certPath"), section.text("keyPath"),
        section.text("keyStorePath"), section.text("keyStorePassword"), section.text("trustStorePath"),
        section.text("trustStorePassword"));
  }

  /** Sets TLS, this node's certificate, the trusted authorities and required client certificates. */
  public EventBusOptions applyTo(EventBusOptions options) {
    if (!enabled) {
      return options;
    }
    // trustAll is on by default in EventBusOptions (and so in the event bus client copied from them)
    return options.setSsl(true).setTrustAll(false).setKeyCertOptions(keyCert()).setTrustOptions(trust())
        .setClientAuth(ClientAuth.REQUIRED);
  }

  private KeyCertOptions keyCert() {
    return keyStorePath.isEmpty()
        ? new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath)
        : new PfxOptions().setPath(keyStorePath).setPassword(keyStorePassword);
  }

  private TrustOptions trust() {
    String name = trustStorePath.toLowerCase(Locale.ROOT);
    return name.endsWith(".pem") || name.endsWith(".crt")
        ? new PemTrustOptions().addCertPath(trustStorePath)
        : new PfxOptions().setPath(trustStorePath).setPassword(trustStorePassword);
  }

  /** Everything but the passwords. */
  @Override
  public String toString() {
    return "ClusterTls[enabled=" + enabled + ", certPath=" + certPath + ", keyPath=" + keyPath + ", keyStorePath="
        + keyStorePath + ", keyStorePassword=" + hidden(keyStorePassword) + ", trustStorePath=" + trustStorePath
        + ", trustStorePassword=" + hidden(trustStorePassword) + "]";
  }

  private static String hidden(String secret) {
    return secret.isEmpty() ? "" : "[hidden]";
  }

  private static void readable(String key, String path) {
    if (path.isEmpty()) {
      throw new ConfigurationError("cluster.tls." + key + " is required with cluster.tls.enabled");
    }
    if (!Files.isReadable(Path.of(path))) {
      throw new ConfigurationError("cluster.tls." + key + ": cannot read " + path);
    }
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value.strip();
  }
}
