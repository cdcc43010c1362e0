package dev.switchboard.app.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * {@code security.jwt.jwksUrl}: the identity provider's signing keys, read as a JWKS document
 * ({@code {keys:[…]}}). Each key should name its {@code alg} (RS256 or ES256) and {@code kid}.
 */
final class JwksKeys {

  static final long TIMEOUT_MILLIS = 10_000;

  private final HttpClient client;
  private final String url;

  JwksKeys(Vertx vertx, String url) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MILLIS));
    this.url = url;
  }

  Future<List<JsonObject>> read() {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
            .setTimeout(TIMEOUT_MILLIS).addHeader("Accept", "application/json"))
        .compose(request -> request.send())
        .compose(response -> response.statusCode() == 200
            ? response.body()
            : Future.failedFuture("the JWKS endpoint answered " + response.statusCode()))
        .map(body -> {
          JsonArray keys = body.toJsonObject().getJsonArray("keys");
          if (keys == null || keys.isEmpty()) {
            throw new IllegalStateException("the JWKS document has no keys");
          }
          return keys.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
        });
  }

  Future<Void> close() {
    return client.close();
  }
}
