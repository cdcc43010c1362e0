package dev.switchboard.runtime.testing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generated certificates do what the TLS tests rely on, through a real handshake. */
class TestCertificatesTest {

  @TempDir
  static Path dir;
  static TestCertificates tls;

  @BeforeAll
  static void makeCertificates() {
    tls = TestCertificates.in(dir);
  }

  @Test
  @DisplayName("writes PEM and PKCS#12 files for the CAs and each certificate")
  void writesFiles() throws IOException {
    assertThat(Files.readString(tls.caPem())).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(tls.localhost().keyPem())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(tls.localhost().pkcs12()).isNotEmptyFile();
    assertThat(tls.caPkcs12()).isNotEmptyFile();
  }

  @Test
  @DisplayName("a client checking the host name accepts the localhost certificate")
  void localhostIsAccepted() throws Exception {
    assertThat(handshake(tls.localhost(), tls.trustingCa())).isEqualTo("ok");
  }

  @Test
  @DisplayName("a client checking the host name refuses the wrong-host certificate and the unknown CA's")
  void othersAreRefused() {
    assertThatThrownBy(() -> handshake(tls.wrongHost(), tls.trustingCa())).isInstanceOf(SSLException.class);
    assertThatThrownBy(() -> handshake(tls.unknownCa(), tls.trustingCa())).isInstanceOf(SSLException.class);
  }

  /** One TLS handshake against a listener presenting {@code server}, as a client of {@code client}. */
  private static String handshake(TestCertificates.Issued server, SSLContext client) throws Exception {
    SSLContext serverContext = tls.presenting(server);
    try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (SSLSocket accepted = (SSLSocket) listener.accept()) {
          accepted.startHandshake();
          accepted.getOutputStream().write('!');
          accepted.getOutputStream().flush();
        } catch (IOException ignored) {
          // the client refused: its side of the test says so
        }
      });
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.getLocalPort())) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        socket.getInputStream().read();
        return "ok";
      } finally {
        served.join();
      }
    }
  }
}
