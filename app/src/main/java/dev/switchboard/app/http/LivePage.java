package dev.switchboard.app.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The live page at {@code /}: plain HTML, CSS and JavaScript from the jar's {@code webroot} (the page,
 * and its files under {@code /assets/}), and the SockJS client from its WebJar: the page needs no
 * network beyond the node.
 *
 * <p>Mounted on those paths only, for GET: every other request meets the API's own 404 and 405.
 */
final class LivePage {

  private static final String WEBROOT = "webroot";
  /** Where the sockjs-client WebJar keeps its files; its paths carry the version. */
  private static final String SOCKJS_WEBJAR = "META-INF/resources/webjars/sockjs-client";

  private LivePage() {
  }

  static void mount(Router router) {
    // the page's own files keep their names from one release to the next: browsers revalidate them
    router.get("/").handler(StaticHandler.create(WEBROOT).setMaxAgeSeconds(0));
    // a wildcard route hands the handler the path under it: /assets/x is served from webroot/assets/x
    router.get("/assets/*").handler(StaticHandler.create(WEBROOT + "/assets").setMaxAgeSeconds(0));
    // a versioned path never changes its content: the default long cache is right
    router.get("/webjars/sockjs-client/*").handler(StaticHandler.create(SOCKJS_WEBJAR));
  }
}
