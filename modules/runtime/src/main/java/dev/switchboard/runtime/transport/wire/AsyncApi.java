package dev.switchboard.runtime.transport.wire;

import dev.switchboard.contracts.Subscriptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * An AsyncAPI 3.0.0 document being written: its sections, and the references that tie them together
 * (a channel lists component messages, an operation the messages of its channel).
 *
 * <p>Every id may be written once: two parts of the generator claiming the same channel or operation
 * is a bug, and it fails loudly instead of one silently replacing the other.
 */
public final class AsyncApi {

  static final String SPEC_VERSION = "3.0.0";
  /** The extension on a receiving operation that names its consumer. */
  static final String CONSUMER = "x-consumer";

  private final JsonObject info;
  private final JsonObject servers = new JsonObject();
  private final JsonObject channels = new JsonObject();
  private final JsonObject operations = new JsonObject();
  private final JsonObject messages = new JsonObject();
  private final JsonObject schemas = new JsonObject();

  public AsyncApi(JsonObject info) {
    this.info = info;
  }

  /** Adds a server; the reference a channel lists it by. */
  public JsonObject server(String id, JsonObject server) {
    add(servers, "servers", id, server);
    return ref("servers", id);
  }

  /** Adds a channel; the reference an operation names it by. */
  public JsonObject channel(String id, JsonObject channel) {
    add(channels, "channels", id, channel);
    return ref("channels", id);
  }

  public void operation(String id, JsonObject operation) {
    add(operations, "operations", id, operation);
  }

  /** Adds a reusable message; the reference a channel lists it by. */
  public JsonObject message(String id, JsonObject message) {
    add(messages, "components.messages", id, message);
    return ref("components", "messages", id);
  }

  /** Adds a reusable schema; the reference other schemas use. */
  public JsonObject schema(String id, JsonObject schema) {
    add(schemas, "components.schemas", id, schema);
    return ref("components", "schemas", id);
  }

  /** A channel's {@code messages}: each component message under its own id. */
  public static JsonObject messagesOf(Iterable<String> messageIds) {
    JsonObject listed = new JsonObject();
    messageIds.forEach(id -> listed.put(id, ref("components", "messages", id)));
    return listed;
  }

  /** An operation by which a module sends these messages of the channel. */
  public static JsonObject send(JsonObject channel, String channelId, List<String> messageIds, String summary) {
    return new JsonObject()
        .put("action", "send")
        .put("channel", channel)
        .put("summary", summary)
        .put("messages", operationMessages(channelId, messageIds));
  }

  /**
   * An operation by which a consumer receives these messages of the channel; {@value #CONSUMER} names
   * the consumer and its module, for tools as well as people.
   */
  public static JsonObject receive(JsonObject channel, String channelId, List<String> messageIds,
                            Subscriptions.Subscription consumer, String summary) {
    return new JsonObject()
        .put("action", "receive")
        .put("channel", channel)
        .put("summary", summary)
        .put("messages", operationMessages(channelId, messageIds))
        .put(CONSUMER, new JsonObject().put("module", consumer.module()).put("consumer", consumer.consumer()));
  }

  /** A local reference: {@code {"$ref": "#/a/b"}}, each segment escaped as JSON Pointer requires. */
  public static JsonObject ref(String... path) {
    StringBuilder pointer = new StringBuilder("#");
    for (String segment : path) {
      pointer.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
    }
    return new JsonObject().put("$ref", pointer.toString());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("asyncapi", SPEC_VERSION)
        .put("info", info)
        .put("defaultContentType", "application/json")
        .put("servers", servers)
        .put("channels", channels)
        .put("operations", operations)
        .put("components", new JsonObject().put("schemas", schemas).put("messages", messages));
  }

  /** An operation's {@code messages}: the channel's messages it sends or receives. */
  private static JsonArray operationMessages(String channelId, Iterable<String> messageIds) {
    JsonArray listed = new JsonArray();
    messageIds.forEach(id -> listed.add(channelMessage(channelId, id)));
    return listed;
  }

  /** The reference to a message of a channel, as an operation must list it. */
  private static JsonObject channelMessage(String channelId, String messageId) {
    return ref("channels", channelId, "messages", messageId);
  }

  private static void add(JsonObject section, String sectionName, String id, JsonObject value) {
    if (section.containsKey(id)) {
      throw new IllegalStateException(sectionName + " already has \"" + id + "\"");
    }
    section.put(id, value);
  }
}
