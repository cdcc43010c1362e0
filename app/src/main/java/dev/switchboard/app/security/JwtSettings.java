package dev.switchboard.app.security;

import dev.switchboard.app.config.ConfigurationError;
import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;

/**
 * {@code security.jwt}: where the keys that sign tokens come from, and what a token must say.
 *
 * @param publicKeys PEM public keys (RSA for RS256, EC P-256 for ES256)
 * @param jwksUrl    a JWKS endpoint to read keys from, instead of or besides {@code publicKeys}; empty if none
 * @param issuer     the {@code iss} every token must carry
 * @param audience   a value every token's {@code aud} must carry
 * @param rolesClaim the claim that lists the caller's roles; dots walk into nested objects
 */
public record JwtSettings(List<String> publicKeys, String jwksUrl, String issuer, String audience, String rolesClaim) {

  /** Reads {@code security.jwt}, every key of it ({@code config/default.json} gives each its default). */
  static JwtSettings from(JsonObject jwt) {
    ConfigSection section = ConfigSection.of("security.jwt", jwt);
    return new JwtSettings(
        section.list("publicKeys").stream().map(String::valueOf).filter(key -> !key.isBlank()).toList(),
        section.text("jwksUrl"),
        section.text("issuer"),
        section.text("audience"),
        section.text("rolesClaim"));
  }

  /** What {@code security.mode=jwt} cannot do without: keys, an issuer and an audience to check. */
  void checkComplete() {
    if (publicKeys.isEmpty() && jwksUrl.isBlank()) {
      throw new ConfigurationError("security.mode is jwt but neither security.jwt.publicKeys nor"
          + " security.jwt.jwksUrl is set: no token could be verified");
    }
    if (!jwksUrl.isBlank()) {
      String scheme = URI.create(jwksUrl).getScheme();
      if (!"https".equals(scheme) && !"http".equals(scheme)) {
        throw new ConfigurationError("security.jwt.jwksUrl must be an https (or http) URL");
      }
    }
    // without them, a token minted for another service by the same identity provider would do here
    if (issuer.isBlank()) {
      throw new ConfigurationError("security.mode is jwt but security.jwt.issuer is empty");
    }
    if (audience.isBlank()) {
      throw new ConfigurationError("security.mode is jwt but security.jwt.audience is empty");
    }
    if (rolesClaim.isBlank()) {
      throw new ConfigurationError("security.jwt.rolesClaim must name a claim");
    }
  }
}
