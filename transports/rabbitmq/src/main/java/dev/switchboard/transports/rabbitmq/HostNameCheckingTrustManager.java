package dev.switchboard.transports.rabbitmq;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Trusts what its delegate trusts, and checks the broker's host name too (RFC 2818, as HTTPS does).
 *
 * <p>Why this exists: vertx-rabbitmq-client 5.0.8 hands the AMQP client an {@code SSLContext} but
 * never calls its {@code ConnectionFactory.enableHostnameVerification()}, and offers no way to reach
 * that factory; the AMQP client's sockets so check the chain but not the host name, and any
 * certificate of a trusted authority, for any host, would do. The JDK's trust manager checks the host
 * name when the socket asks for an endpoint identification algorithm: this sets it on the socket at
 * the one moment it sees the socket (its handshake, on the thread running it), exactly what
 * {@code enableHostnameVerification()} would have set before.
 */
final class HostNameCheckingTrustManager extends X509ExtendedTrustManager {

  private static final String HTTPS = "HTTPS";

  private final X509ExtendedTrustManager delegate;

  HostNameCheckingTrustManager(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    if (!(socket instanceof SSLSocket ssl)) {
      throw new CertificateException("cannot check the broker's host name outside a TLS socket");
    }
    SSLParameters parameters = ssl.getSSLParameters();
    if (!HTTPS.equalsIgnoreCase(parameters.getEndpointIdentificationAlgorithm())) {
      parameters.setEndpointIdentificationAlgorithm(HTTPS);
      ssl.setSSLParameters(parameters);
    }
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    SSLParameters parameters = engine.getSSLParameters();
    if (!HTTPS.equalsIgnoreCase(parameters.getEndpointIdentificationAlgorithm())) {
      parameters.setEndpointIdentificationAlgorithm(HTTPS);
      engine.setSSLParameters(parameters);
    }
    delegate.checkServerTrusted(chain, authType, engine);
  }

  /** Without a socket there is no host name to check: refused rather than half checked. */
  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("cannot check the broker's host name without its connection");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
