package dev.switchboard.app.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line on the {@value #LOGGER} logger for every operator action (a dead letter replayed or
 * discarded, a projection rebuilt): who did it, what, on what, and the status it was answered with.
 * Written when the answer is sent, so a refused or failed action is on record too. On a node without
 * authentication the principal is {@code anonymous}.
 */
final class AuditLog implements Handler<RoutingContext> {

  static final String LOGGER = "audit";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final String action;
  private final String targetParam;

  private AuditLog(String action, String targetParam) {
    this.action = action;
    this.targetParam = targetParam;
  }

  /** Audits {@code action} on the target named by the path parameter {@code targetParam}. */
  static AuditLog of(String action, String targetParam) {
    return new AuditLog(action, targetParam);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String principal = Authentication.caller(ctx).name();
    String target = ctx.pathParam(targetParam);
    ctx.addEndHandler(done -> LOG.info("principal={} action={} target={} status={}", LogValues.escape(principal),
        action, LogValues.escape(target), done.succeeded() ? ctx.response().getStatusCode() : "connection-lost"));
    ctx.next();
  }
}
