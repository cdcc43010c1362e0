package dev.switchboard.app;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that takes a service every test shares down for a while (this machine's
 * PostgreSQL or RabbitMQ server, not a database or virtual host of its own). The app's integration
 * tests run two at a time (two test JVMs); the marked ones run afterwards, alone, so that they never
 * pull a server from under another test (the build's {@code failsafe} executions select them by
 * {@link #TAG}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(StopsSharedServices.TAG)
public @interface StopsSharedServices {

  String TAG = "stops-shared-services";
}
