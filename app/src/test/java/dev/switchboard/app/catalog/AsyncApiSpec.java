package dev.switchboard.app.catalog;

import dev.switchboard.contracts.EventSchemas;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;

import java.util.List;

/**
 * The official JSON Schema of AsyncAPI 3.0.0 ({@code asyncapi/3.0.0.json}, from {@code @asyncapi/specs};
 * see the README beside it), as a validator of documents.
 *
 * <p>The file is self-contained: every definition it refers to sits under {@code definitions} with its
 * own {@code $id}, which the repository registers, so no reference leaves the file. It is written in
 * JSON Schema draft-07, and the validator is set to that draft.
 */
final class AsyncApiSpec {

  static final String RESOURCE = "asyncapi/3.0.0.json";
  static final String ID = "http://asyncapi.com/definitions/3.0.0/asyncapi.json";

  private final Validator validator;

  private AsyncApiSpec(Validator validator) {
    this.validator = validator;
  }

  static AsyncApiSpec load() {
    JsonObject spec = ClasspathJson.read(RESOURCE);
    if (!"http://json-schema.org/draft-07/schema".equals(spec.getString("$schema")) || !ID.equals(spec.getString("$id"))) {
      throw new IllegalStateException(RESOURCE + " is not the draft-07 schema " + ID + " this validator is set up for");
    }
    SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions()
        .setDraft(Draft.DRAFT7)
        .setBaseUri(ID)
        .setOutputFormat(OutputFormat.Basic));
    repository.dereference(JsonSchema.of(spec));
    return new AsyncApiSpec(repository.validator(ID));
  }

  /** What is wrong with a document; empty if it is valid AsyncAPI 3.0.0. */
  List<String> problems(JsonObject document) {
    return EventSchemas.problems(validator.validate(document));
  }
}
