package dev.switchboard.transports.rabbitmq.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TLS-terminating TCP proxy: accepts TLS on a free port of 127.0.0.1, presenting the certificate of
 * {@code server}, and relays the plain bytes to a target (the shared local RabbitMQ, which must not
 * be reconfigured to listen with TLS itself). What the client checks is this proxy's certificate,
 * exactly as it would check a broker's.
 */
public final class TlsProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private TlsProxy(ServerSocket listener, InetSocketAddress target) {
    this.listener = listener;
    this.target = target;
  }

  /** Starts relaying to {@code targetHost:targetPort}, presenting what {@code server} holds. */
  public static TlsProxy start(SSLContext server, String targetHost, int targetPort) {
    try {
      SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
          .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
      TlsProxy proxy = new TlsProxy(listener, new InetSocketAddress(targetHost, targetPort));
      Thread acceptor = new Thread(proxy::accept, "tls-proxy-accept-" + listener.getLocalPort());
      acceptor.setDaemon(true);
      acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen", e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket upstream = new Socket();
        upstream.connect(target, 5_000);
        open.add(client);
        open.add(upstream);
        // the handshake happens on the first read: a client refusing the certificate ends the relay there
        relay(client, upstream);
        relay(upstream, client);
      } catch (IOException e) {
        if (!closed) {
          continue; // one failed connection; keep accepting
        }
      }
    }
  }

  private void relay(Socket from, Socket to) {
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException ignored) {
        // either side went away (or refused the handshake): close both
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tls-proxy-relay");
    pump.setDaemon(true);
    pump.start();
  }

  /** Ends every relayed connection and stops listening. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    open.forEach(TlsProxy::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }
}
