package dev.switchboard.app.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies bearer JWTs with {@code vertx-auth-jwt} against {@code security.jwt}: the signature (by the
 * configured PEM keys or the JWKS endpoint's), the expiry, the issuer and the audience; then reads the
 * subject and the roles. A token must carry {@code sub} and {@code exp}: a token that never expires is
 * refused, since it could never be taken back.
 */
public final class TokenVerifier {

  private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);
  /** How often the JWKS endpoint is read again, so that a key the provider rotates in is learnt. */
  static final long JWKS_REFRESH_MILLIS = 15 * 60_000L;
  /** Clock skew forgiven between the token's issuer and this node. */
  static final int LEEWAY_SECONDS = 30;

  private final Vertx vertx;
  private final JwtSettings settings;
  private final JwksKeys jwks;
  private volatile JWTAuth auth;
  private long refreshTimer = -1;

  private TokenVerifier(Vertx vertx, JwtSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.jwks = settings.jwksUrl().isBlank() ? null : new JwksKeys(vertx, settings.jwksUrl());
  }

  /** Reads the keys (from the JWKS endpoint too, if one is set); fails if none can be had. */
  public static Future<TokenVerifier> start(Vertx vertx, JwtSettings settings) {
    TokenVerifier verifier = new TokenVerifier(vertx, settings);
    if (verifier.jwks == null) {
      verifier.auth = verifier.provider(List.of());
      return Future.succeededFuture(verifier);
    }
    return verifier.jwks.read()
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "cannot read the keys at security.jwt.jwksUrl: " + failure.getMessage())))
        .map(keys -> {
          verifier.auth = verifier.provider(keys);
          verifier.refreshTimer = vertx.setPeriodic(JWKS_REFRESH_MILLIS, id -> verifier.refresh());
          return verifier;
        });
  }

  public Future<Void> stop() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    return jwks == null ? Future.succeededFuture() : jwks.close();
  }

  /** The caller the token names; fails with {@link NotAuthenticated} if the token does not hold. */
  public Future<Caller> verify(String token) {
    return auth.authenticate(new TokenCredentials(token))
        .recover(failure -> {
          LOG.debug("a bearer token was refused: {}", failure.getMessage());
          String reason = String.valueOf(failure.getMessage()).toLowerCase();
          return Future.failedFuture(new NotAuthenticated(reason.contains("expired")
              ? "The bearer token has expired."
              : "The bearer token is not valid here (signature, issuer or audience)."));
        })
        .map(this::callerOf);
  }

  private Caller callerOf(User user) {
    JsonObject claims = claims(user);
    String subject = claims.getValue("sub") instanceof String sub ? sub : null;
    if (subject == null || subject.isBlank()) {
      throw new NotAuthenticated("The bearer token names no subject (sub).");
    }
    if (!(claims.getValue("exp") instanceof Number exp)) {
      throw new NotAuthenticated("The bearer token has no expiry (exp).");
    }
    // valid here for as long as the verification above would let it pass: its expiry, plus the leeway
    return new Caller(subject, roles(claims), Optional.of(Instant.ofEpochSecond(exp.longValue() + LEEWAY_SECONDS)));
  }

  /** The token's payload: vertx-auth-jwt keeps it as the user's {@code accessToken} attribute. */
  private static JsonObject claims(User user) {
    Object payload = user.attributes().getValue("accessToken");
    return payload instanceof JsonObject json ? json : user.principal();
  }

  /** The roles the claim lists (a list, or one name); names we give no meaning to are left out. */
  private Set<Role> roles(JsonObject claims) {
    Object value = claims;
    for (String step : settings.rolesClaim().split("\\.")) {
      value = value instanceof JsonObject object ? object.getValue(step) : null;
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    if (value instanceof JsonArray list) {
      list.forEach(name -> Role.named(String.valueOf(name)).ifPresent(roles::add));
    } else if (value instanceof String name) {
      Role.named(name).ifPresent(roles::add);
    }
    return roles;
  }

  private JWTAuth provider(List<JsonObject> jwks) {
    JWTAuthOptions options = new JWTAuthOptions()
        .setPubSecKeys(PemPublicKeys.options(settings.publicKeys()))
        .setJWTOptions(new JWTOptions()
            .setIssuer(settings.issuer())
            .addAudience(settings.audience())
            .setLeeway(LEEWAY_SECONDS));
    jwks.forEach(options::addJwk);
    return JWTAuth.create(vertx, options);
  }

  private void refresh() {
    jwks.read()
        .onSuccess(keys -> auth = provider(keys))
        .onFailure(failure -> LOG.warn("reading the keys at security.jwt.jwksUrl again failed, the keys read"
            + " before stay in use: {}", failure.getMessage()));
  }
}
