package dev.switchboard.app;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a real server (PostgreSQL, a broker), so that a test can take the server
 * away from the app and bring it back without stopping it for everyone else: {@link #cut()} closes
 * every connection and refuses new ones; {@link #restore()} lets them through again.
 */
public final class TcpProxy implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  private TcpProxy(NetServer server, NetClient client) {
    this.server = server;
    this.client = client;
  }

  /** Listens on a free port of 127.0.0.1 and forwards to {@code host:port}. */
  public static TcpProxy to(Vertx vertx, String host, int port) {
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer();
    TcpProxy proxy = new TcpProxy(server, client);
    server.connectHandler(inbound -> proxy.accept(inbound, host, port));
    TestNode.await(server.listen(0, "127.0.0.1"), "the proxy to listen");
    return proxy;
  }

  public int port() {
    return server.actualPort();
  }

  /** Closes every connection through the proxy and refuses new ones, as a server that went away. */
  public void cut() {
    cut = true;
    open.forEach(NetSocket::close);
  }

  public void restore() {
    cut = false;
  }

  @Override
  public void close() {
    cut();
    TestNode.await(server.close(), "the proxy to close");
    TestNode.await(client.close(), "the proxy's client to close");
  }

  private void accept(NetSocket inbound, String host, int port) {
    if (cut) {
      inbound.close();
      return;
    }
    inbound.pause();
    client.connect(port, host).onComplete(connected -> {
      if (connected.failed() || cut) {
        inbound.close();
        if (connected.succeeded()) {
          connected.result().close();
        }
        return;
      }
      NetSocket outbound = connected.result();
      open.add(inbound);
      open.add(outbound);
      inbound.handler(outbound::write);
      outbound.handler(inbound::write);
      inbound.closeHandler(v -> {
        open.remove(inbound);
        outbound.close();
      });
      outbound.closeHandler(v -> {
        open.remove(outbound);
        inbound.close();
      });
      inbound.resume();
    });
  }
}
