package dev.switchboard.app.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token verifier alone: an ES256 key (EC P-256) works as an RS256 one does; the roles claim may be
 * a nested path or a single name, and may hold roles we give no meaning to.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TokenVerifierTest {

  private static final String ISSUER = "https://id.test.example";
  private static final String AUDIENCE = "switchboard";

  @Test
  void an_es256_token_is_verified_by_its_ec_public_key(Vertx vertx) throws Exception {
    KeyPair pair = keyPair("EC", new ECGenParameterSpec("secp256r1"));
    JWTAuth signer = signer(vertx, "ES256", pair);
    TokenVerifier verifier = verifier(vertx, pair, "roles");

    Caller caller = result(verifier.verify(sign(signer, "ES256", new JsonObject().put("sub", "alice")
        .put("roles", new JsonArray().add("customer")))));

    assertThat(caller.name()).isEqualTo("alice");
    assertThat(caller.roles()).containsExactly(Role.CUSTOMER);
    assertThat(caller.expiresAt()).isPresent();
    assertThat(caller.ordersScope()).contains("alice");
    assertThat(caller.placesOrdersFor()).contains("alice");
  }

  @Test
  void roles_may_sit_in_a_nested_claim_be_one_name_or_include_roles_we_ignore(Vertx vertx) throws Exception {
    KeyPair pair = keyPair("RSA", null);
    JWTAuth signer = signer(vertx, "RS256", pair);
    TokenVerifier nested = verifier(vertx, pair, "realm_access.roles");
    TokenVerifier flat = verifier(vertx, pair, "roles");

    Caller keycloakStyle = result(nested.verify(sign(signer, "RS256", new JsonObject().put("sub", "ops-1")
        .put("realm_access", new JsonObject().put("roles", new JsonArray().add("offline_access").add("operator"))))));
    Caller oneName = result(flat.verify(sign(signer, "RS256",
        new JsonObject().put("sub", "ops-2").put("roles", "operator"))));
    Caller none = result(flat.verify(sign(signer, "RS256", new JsonObject().put("sub", "x").put("roles", 42))));

    assertThat(keycloakStyle.roles()).containsExactly(Role.OPERATOR);
    assertThat(keycloakStyle.ordersScope()).as("an operator reads every order").isEmpty();
    assertThat(oneName.roles()).containsExactly(Role.OPERATOR);
    assertThat(none.roles()).isEmpty();
  }

  @Test
  void the_anonymous_caller_may_do_everything_and_a_token_named_anonymous_is_not_it() {
    Caller anonymous = Caller.anonymous();
    Caller named = new Caller(Caller.ANONYMOUS, Set.of(Role.CUSTOMER), Optional.of(Instant.now().plusSeconds(60)));

    assertThat(anonymous.isAnonymous()).isTrue();
    assertThat(anonymous.ordersScope()).isEmpty();
    assertThat(anonymous.placesOrdersFor()).isEmpty();
    assertThat(named.isAnonymous()).isFalse();
    assertThat(named.ordersScope()).contains(Caller.ANONYMOUS);
    assertThat(named.placesOrdersFor()).contains(Caller.ANONYMOUS);
  }

  private static TokenVerifier verifier(Vertx vertx, KeyPair pair, String rolesClaim) throws Exception {
    JwtSettings settings = new JwtSettings(List.of(pem("PUBLIC KEY", pair.getPublic().getEncoded())), "", ISSUER,
        AUDIENCE, rolesClaim);
    return result(TokenVerifier.start(vertx, settings));
  }

  private static JWTAuth signer(Vertx vertx, String algorithm, KeyPair pair) {
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm)
        .setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded()))));
  }

  private static String sign(JWTAuth signer, String algorithm, JsonObject claims) {
    return signer.generateToken(claims, new JWTOptions().setAlgorithm(algorithm).setIssuer(ISSUER)
        .setAudience(List.of(AUDIENCE)).setExpiresInSeconds(300));
  }

  private static KeyPair keyPair(String type, ECGenParameterSpec curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
    if (curve != null) {
      generator.initialize(curve);
    } else {
      generator.initialize(2048);
    }
    return generator.generateKeyPair();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static <T> T result(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
