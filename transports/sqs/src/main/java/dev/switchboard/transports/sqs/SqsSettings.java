package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.config.ConfigSection;
import dev.switchboard.runtime.transport.wire.DeliverySettings;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Settings of the SQS wire ({@code transport.sqs.*}), read once from configuration.
 *
 * @param endpoint                  where SQS answers, e.g. {@code http://127.0.0.1:9324} for ElasticMQ; empty:
 *                                  AWS itself, at the region's endpoint
 * @param region                    the AWS region ({@code eu-west-1}); any name for ElasticMQ
 * @param accessKeyId               with {@code secretAccessKey}, static credentials; both empty: the SDK's
 *                                  default chain (environment, profile, container or instance role)
 * @param secretAccessKey           a secret: never logged, left out of {@link #toString()}
 * @param maxReceiveCount           receives of one message without a delete before SQS moves it to the
 *                                  consumer's dead-letter queue (the redrive policy)
 * @param visibilityTimeoutSeconds  how long a received message stays hidden from other receivers; the wire
 *                                  extends it while the message is in hand
 * @param waitTimeSeconds           how long one receive waits for messages (long polling), 0 to 20
 * @param requestTimeoutMillis      how long any call to SQS may take, the SDK's retries included (a receive:
 *                                  its wait time besides)
 * @param pingTimeoutMillis         how long a readiness check waits for SQS to answer
 * @param delivery                  messages of one consumer in hand at once, across orders ({@code maxInFlight}),
 *                                  the waits before a consumer's message is handed over again (its store is
 *                                  down), which are also the waits before a failed receive or delete is tried
 *                                  again, and how long closing a consumer waits for the messages in hand
 *                                  ({@code drainTimeoutMillis})
 * @param subscribersRefreshMillis  how old the list of subscribed queues (and their types) may be when a
 *                                  send uses it; a consumer subscribed on another node gets events sent
 *                                  here at the latest this long after its queue was made
 */
public record SqsSettings(
    String endpoint,
    String region,
    String accessKeyId,
    String secretAccessKey,
    int maxReceiveCount,
    int visibilityTimeoutSeconds,
    int waitTimeSeconds,
    int requestTimeoutMillis,
    int pingTimeoutMillis,
    DeliverySettings delivery,
    long subscribersRefreshMillis) {

  /** SQS's bounds: a receive waits at most 20 s; a message stays hidden at most 12 hours. */
  static final int MAX_WAIT_TIME_SECONDS = 20;
  static final int MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
  /** A redrive policy counts at most 1000 receives. */
  static final int MAX_RECEIVE_COUNT = 1_000;

  public SqsSettings {
    endpoint = endpoint == null ? "" : endpoint.strip();
    region = region == null ? "" : region.strip();
    accessKeyId = accessKeyId == null ? "" : accessKeyId.strip();
    secretAccessKey = secretAccessKey == null ? "" : secretAccessKey;
    require(endpoint.isEmpty() || isHttpUri(endpoint),
        "endpoint must be an http(s) URI such as http://127.0.0.1:9324, or empty for AWS itself (was \"" + endpoint
            + "\")");
    require(!region.isEmpty(), "region must name an AWS region, e.g. eu-west-1");
    require(accessKeyId.isEmpty() == secretAccessKey.isEmpty(),
        "accessKeyId and secretAccessKey must be set together, or both left empty for the SDK's default chain");
    require(maxReceiveCount >= 1 && maxReceiveCount <= MAX_RECEIVE_COUNT,
        "maxReceiveCount must be between 1 and " + MAX_RECEIVE_COUNT + " (was " + maxReceiveCount + ")");
    require(waitTimeSeconds >= 0 && waitTimeSeconds <= MAX_WAIT_TIME_SECONDS,
        "waitTimeSeconds must be between 0 and " + MAX_WAIT_TIME_SECONDS + " (was " + waitTimeSeconds + ")");
    require(visibilityTimeoutSeconds <= MAX_VISIBILITY_TIMEOUT_SECONDS,
        "visibilityTimeoutSeconds must be at most " + MAX_VISIBILITY_TIMEOUT_SECONDS + " (was "
            + visibilityTimeoutSeconds + ")");
    // the wire counts a message's visibility from when it asked for it, so a long poll eats into it
    require(visibilityTimeoutSeconds >= waitTimeSeconds + 2,
        "visibilityTimeoutSeconds must be at least waitTimeSeconds + 2 (was " + visibilityTimeoutSeconds
            + ", waitTimeSeconds " + waitTimeSeconds + ")");
    require(requestTimeoutMillis >= 1, "requestTimeoutMillis must be positive (was " + requestTimeoutMillis + ")");
    require(pingTimeoutMillis >= 1, "pingTimeoutMillis must be positive (was " + pingTimeoutMillis + ")");
    require(delivery != null, "delivery settings are missing");
    require(subscribersRefreshMillis >= 1,
        "subscribersRefreshMillis must be positive (was " + subscribersRefreshMillis + ")");
  }

  /** Reads {@code transport.sqs}, every key of it: {@code config/default.json} gives each its default. */
  public static SqsSettings from(JsonObject sqs) {
    ConfigSection section = ConfigSection.of("transport.sqs", sqs);
    return new SqsSettings(
        section.text("endpoint"),
        section.text("region"),
        section.text("accessKeyId"),
        section.text("secretAccessKey"),
        section.integer("maxReceiveCount"),
        section.integer("visibilityTimeoutSeconds"),
        section.integer("waitTimeSeconds"),
        section.integer("requestTimeoutMillis"),
        section.integer("pingTimeoutMillis"),
        DeliverySettings.from(section, "maxInFlight"),
        section.wholeNumber("subscribersRefreshMillis"));
  }

  /** Whether the wire signs its calls with the configured keys rather than the SDK's default chain. */
  boolean hasStaticCredentials() {
    return !accessKeyId.isEmpty();
  }

  /** Everything but the secret key. */
  @Override
  public String toString() {
    return "SqsSettings[endpoint=" + (endpoint.isEmpty() ? "(AWS)" : endpoint) + ", region=" + region
        + ", accessKeyId=" + accessKeyId + ", secretAccessKey=" + (secretAccessKey.isEmpty() ? "" : "[hidden]")
        + ", maxReceiveCount=" + maxReceiveCount + ", visibilityTimeoutSeconds=" + visibilityTimeoutSeconds
        + ", waitTimeSeconds=" + waitTimeSeconds + ", requestTimeoutMillis=" + requestTimeoutMillis
        + ", pingTimeoutMillis=" + pingTimeoutMillis + ", delivery=" + delivery
        + ", subscribersRefreshMillis=" + subscribersRefreshMillis + "]";
  }

  private static boolean isHttpUri(String value) {
    try {
      URI uri = new URI(value);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (URISyntaxException notAUri) {
      return false;
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("transport.sqs." + message);
    }
  }
}
