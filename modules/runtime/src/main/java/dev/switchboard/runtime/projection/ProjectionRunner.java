package dev.switchboard.runtime.projection;

import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.runtime.config.ConfigSection;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExclusiveRole;
import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.Registration;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one read model up to date on this node, and rebuilds it when asked.
 *
 * <p>The serving generation follows the log from its checkpoint, woken by appends and by a
 * periodic poll. While a rebuild is under way (requested through the store, see
 * {@link ReadModelStore#beginRebuild}, and announced on {@link #CHANGED_ADDRESS}), each round also
 * applies one batch to the new generation, from position zero, without live messages; when that
 * generation has caught up with the log, the round brings it to the very end and switches it in.
 * The serving generation keeps serving reads until that instant.
 *
 * <p>Rounds never overlap (state is confined to the runner's context), so the switch cannot race
 * the serving generation's updates. Among nodes sharing a store, the one holding the projection's
 * lease runs it; should two ever overlap (a lease lost mid-round), each batch still moves the
 * checkpoint from where its runner read it, so a stretch is applied once, and a runner that finds
 * its checkpoint moved ({@link ProjectionMoved}) reloads it and goes on.
 */
public final class ProjectionRunner {

  /** Body: the name of a projection whose state changed (a rebuild was requested). */
  public static final String CHANGED_ADDRESS = "switchboard.projections.changed";

  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);

  /**
   * @param batchSize          events applied per transaction at most
   * @param pollIntervalMillis how often to look at the log and the projection's state without a wake-up
   */
  public record Settings(int batchSize, long pollIntervalMillis) {
    /** Reads {@code projections}, every key of it ({@code config/default.json} gives each its default). */
    public static Settings from(JsonObject projections) {
      ConfigSection section = ConfigSection.of("projections", projections);
      return new Settings(section.integer("batchSize"), section.wholeNumber("pollIntervalMillis"));
    }
  }

  private final Vertx vertx;
  private final EventStore store;
  private final ReadModelStore readModels;
  private final ReadModel model;
  private final Settings settings;
  private final Promise<Void> stopped = Promise.promise();
  private final ExclusiveRole role;
  private final EventUpcasters upcasters;
  private MessageConsumer<String> changes;
  private GenerationTailer serving;
  private GenerationTailer rebuilding;
  private long pollTimer = -1;
  private boolean running;
  private boolean wokenWhileRunning;
  private boolean reloadRequested;
  private boolean stopping;
  private Registration wakeUps;
  private String lastFailure;

  /** @param upcasters how events of older versions are read, live and in a rebuild alike */
  public ProjectionRunner(Vertx vertx, EventStore store, ReadModel model, Settings settings,
                          EventUpcasters upcasters) {
    this.upcasters = upcasters;
    this.vertx = vertx;
    this.store = store;
    this.readModels = store.readModels();
    this.model = model;
    this.settings = settings;
    this.role = new ExclusiveRole(store.leases(), "projection:" + model.name());
  }

  public String name() {
    return model.name();
  }

  /** Registers the projection and starts following the log; call on the context to run on. */
  public Future<Void> start() {
    changes = vertx.eventBus().consumer(CHANGED_ADDRESS, message -> {
      if (model.name().equals(message.body())) {
        reloadRequested = true;
        wake();
      }
    });
    return changes.completion().compose(v -> readModels.register(model.name())).map(state -> {
      follow(state);
      wakeUps = store.onAppended(this::wake);
      pollTimer = vertx.setPeriodic(settings.pollIntervalMillis(), id -> poll());
      LOG.info("projection {} serving generation {} from position {}{}", model.name(), state.generation(),
          state.position(), state.rebuild().map(r -> ", rebuilding generation " + r.generation()).orElse(""));
      return null;
    }).compose(v -> role.tryTake()).map(taken -> {
      wake();
      return null;
    });
  }

  /** Lets the round in hand finish (its batch commits or not, whole), then stops. */
  public Future<Void> stop() {
    stopping = true;
    if (wakeUps != null) {
      wakeUps.cancel();
    }
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    Future<Void> unregistered = changes == null ? Future.succeededFuture() : changes.unregister();
    if (!running) {
      stopped.tryComplete();
    }
    return unregistered.compose(v -> stopped.future()).compose(v -> role.release());
  }

  /** Takes the projection's lease if free, and looks at the log and the state in the store again. */
  private void poll() {
    role.tryTake().onComplete(taken -> {
      reloadRequested = true;
      wake();
    });
  }

  private void wake() {
    if (stopping || !role.held()) {
      return;
    }
    if (running) {
      wokenWhileRunning = true;
      return;
    }
    running = true;
    wokenWhileRunning = false;
    boolean reload = reloadRequested;
    reloadRequested = false;
    round(reload).onComplete(result -> {
      running = false;
      if (stopping) {
        stopped.tryComplete();
        return;
      }
      if (result.failed()) {
        reportFailure(result.cause());
      } else {
        lastFailure = null;
        if (wokenWhileRunning || result.result()) {
          wake();
        }
      }
    });
  }

  /**
   * One round: reload the state if due, bring the serving generation up to date, and take the
   * rebuild one batch further (or switch it in).
   *
   * @return whether there is more to do at once
   */
  private Future<Boolean> round(boolean reload) {
    Future<Long> head = reload ? readModels.head() : Future.succeededFuture(-1L);
    Future<Void> reloaded = reload ? reloadState() : Future.succeededFuture();
    return reloaded.compose(v -> head).compose(headBefore -> serving.step(settings.batchSize()).compose(applied -> {
      if (applied == 0 && headBefore > 0) {
        return serving.advanceTo(headBefore).map(false);
      }
      return Future.succeededFuture(applied == settings.batchSize());
    })).compose(moreServing -> rebuilding == null
        ? Future.succeededFuture(moreServing)
        : rebuildOneStep().map(moreRebuilding -> moreServing || moreRebuilding));
  }

  private Future<Boolean> rebuildOneStep() {
    return rebuilding.step(settings.batchSize()).compose(applied -> {
      if (applied == settings.batchSize()) {
        return Future.succeededFuture(true);
      }
      // caught up: take the last few events that came meanwhile, then switch, within this round
      GenerationTailer rebuilt = rebuilding;
      return rebuilt.drain(settings.batchSize())
          .compose(v -> readModels.finishRebuild(model.name(), rebuilt.generation()))
          .map(state -> {
            LOG.info("projection {} rebuilt: generation {} serves from position {}", model.name(),
                state.generation(), state.position());
            serving = rebuilt.serving(vertx.eventBus());
            rebuilding = null;
            return false;
          });
    });
  }

  private Future<Void> reloadState() {
    return readModels.state(model.name()).map(state -> {
      follow(state.orElseThrow(() -> new ProjectionMoved("the projection " + model.name() + " is gone")));
      return null;
    });
  }

  /** Aligns the tailers with the state in the store, which is authoritative. */
  private void follow(ProjectionState state) {
    if (serving == null || serving.generation() != state.generation() || serving.position() != state.position()) {
      serving = new GenerationTailer(store, model, upcasters, state.generation(), state.position(), vertx.eventBus());
    }
    if (state.rebuild().isEmpty()) {
      rebuilding = null;
      return;
    }
    ProjectionState.Rebuild rebuild = state.rebuild().get();
    if (rebuilding == null) {
      LOG.info("projection {}: rebuilding generation {} from position {}", model.name(), rebuild.generation(),
          rebuild.position());
    }
    if (rebuilding == null || rebuilding.generation() != rebuild.generation()
        || rebuilding.position() != rebuild.position()) {
      rebuilding = new GenerationTailer(store, model, upcasters, rebuild.generation(), rebuild.position(), null);
    }
  }

  private void reportFailure(Throwable failure) {
    String description = failure.toString();
    boolean repeated = description.equals(lastFailure);
    lastFailure = description;
    reloadRequested = true;
    if (failure instanceof ProjectionMoved && !repeated) {
      // another runner moved it, or the rebuild was switched in elsewhere: reload and go on at once
      LOG.debug("projection {}: {}", model.name(), failure.getMessage());
      vertx.setTimer(1, id -> wake());
    } else if (!repeated) {
      // the poll retries every interval; the same failure is logged once until something changes
      LOG.warn("projection {} could not go on, will retry: {}", model.name(), description);
    }
  }
}
