package dev.switchboard.app.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * Answers only requests whose {@code Host} is one of {@code http.allowedHosts}. A page of another
 * site that gets its name resolved to this node (DNS rebinding) then reaches nothing, its requests
 * naming its own host. Health probes are let through whatever their {@code Host}: an orchestrator
 * probes by address, and a health answer gives nothing away.
 */
final class HostCheck implements Handler<RoutingContext> {

  private final boolean anyHost;
  private final List<HostAndPort> allowed;

  HostCheck(EdgeSettings settings) {
    this.anyHost = settings.allowedHosts().contains("*");
    this.allowed = settings.allowedHosts().stream().filter(name -> !name.equals("*"))
        .map(HostAndPort::parse).filter(name -> name != null).toList();
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (anyHost || ctx.request().path().startsWith("/health")) {
      ctx.next();
      return;
    }
    HostAndPort host = requestHost(ctx);
    if (host == null) {
      ErrorBodies.send(ctx, 400, "The request has no valid Host header.");
    } else if (allowed.stream().noneMatch(name -> name.admits(host))) {
      // 421: this node is not the server for that name; the name itself is not echoed
      ErrorBodies.send(ctx, 421, "This node does not answer to that Host; see http.allowedHosts.");
    } else {
      ctx.next();
    }
  }

  /** The request's host and port, from {@code Host} (HTTP/1.1) or {@code :authority} (HTTP/2). */
  static HostAndPort requestHost(RoutingContext ctx) {
    io.vertx.core.net.HostAndPort authority = ctx.request().authority();
    if (authority == null) {
      return null;
    }
    String host = authority.host();
    String written = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return HostAndPort.parse(authority.port() > 0 ? written + ":" + authority.port() : written);
  }
}
