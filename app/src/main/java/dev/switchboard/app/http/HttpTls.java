package dev.switchboard.app.http;

import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * HTTPS for the API ({@code http.tls.*}): the server's certificate and key as PEM files
 * ({@code certPath}, the certificate followed by its chain, and {@code keyPath}) or a PKCS#12 key
 * store ({@code keyStorePath}, {@code keyStorePassword}). Off by default; when on, the listener
 * speaks HTTPS only. A setting that cannot work stops the start, saying which key is wrong (never
 * the password).
 */
public record HttpTls(boolean enabled, String certPath, String keyPath, String keyStorePath, String keyStorePassword) {

  public static final HttpTls OFF = new HttpTls(false, "", "", "", "");

  public HttpTls {
    certPath = blankToEmpty(certPath);
    keyPath = blankToEmpty(keyPath);
    keyStorePath = blankToEmpty(keyStorePath);
    keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
    if (enabled) {
      boolean pem = !certPath.isEmpty() || !keyPath.isEmpty();
      boolean pkcs12 = !keyStorePath.isEmpty();
      if (pem == pkcs12) {
        throw new IllegalArgumentException("http.tls.enabled needs either http.tls.certPath and http.tls.keyPath (PEM)"
            + " or http.tls.keyStorePath (PKCS#12), not both or neither");
      }
      if (pem) {
        readable("certPath", certPath);
        readable("keyPath", keyPath);
      } else {
        readable("keyStorePath", keyStorePath);
      }
    }
  }

  /** Reads {@code http.tls}, every key of it ({@code config/default.json} gives each its default). */
  public static HttpTls from(JsonObject tls) {
    ConfigSection section = ConfigSection.of("http.tls", tls);
    return new HttpTls(section.flag("enabled"), section.text("certPath"), section.text("keyPath"),
        section.text("keyStorePath"), section.text("keyStorePassword"));
  }

  /** The HTTP server's options: TLS with this certificate when enabled, plain HTTP otherwise. */
  public HttpServerOptions serverOptions() {
    return applyTo(new HttpServerOptions());
  }

  /** Sets TLS and this certificate on options made elsewhere (timeouts, limits), when enabled. */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    return enabled ? options.setSsl(true).setKeyCertOptions(keyCert()) : options;
  }

  private KeyCertOptions keyCert() {
    if (!keyStorePath.isEmpty()) {
      return new PfxOptions().setPath(keyStorePath).setPassword(keyStorePassword);
    }
    return new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath);
  }

  /** Everything but the password. */
  @Override
  public String toString() {
    return "HttpTls[enabled=" + enabled + ", certPath=" + certPath + ", keyPath=" + keyPath + ", keyStorePath="
        + keyStorePath + ", keyStorePassword=" + (keyStorePassword.isEmpty() ? "" : "[hidden]") + "]";
  }

  private static void readable(String key, String path) {
    if (path.isEmpty()) {
      throw new IllegalArgumentException("http.tls." + key + " is required with http.tls.enabled");
    }
    if (!Files.isReadable(Path.of(path))) {
      throw new IllegalArgumentException("http.tls." + key + ": cannot read " + path);
    }
  }

  private static String blankToEmpty(String value) {
    return value == null ? "" : value.strip();
  }
}
