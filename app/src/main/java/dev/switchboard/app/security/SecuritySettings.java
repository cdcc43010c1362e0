package dev.switchboard.app.security;

import dev.switchboard.app.config.ConfigurationError;
import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.json.JsonObject;

/** {@code security}: whether callers are authenticated, and how. Read once, when a node starts. */
public record SecuritySettings(SecurityMode mode, JwtSettings jwt) {

  /**
   * Reads {@code security} and checks it against the HTTP listener's host.
   *
   * @throws ConfigurationError if the settings are incomplete, or the node would serve another
   *     interface than loopback without authentication
   */
  public static SecuritySettings from(JsonObject security, String httpHost) {
    ConfigSection section = ConfigSection.of("security", security);
    SecuritySettings settings = new SecuritySettings(SecurityMode.parse(section.text("mode")),
        JwtSettings.from(section.object("jwt")));
    if (settings.mode == SecurityMode.JWT) {
      settings.jwt.checkComplete();
    }
    LoopbackOnlyWithoutAuthentication.check(httpHost, settings.mode);
    return settings;
  }

  public boolean secured() {
    return mode != SecurityMode.NONE;
  }
}
