package dev.switchboard.transports.sqs;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;

import java.net.URI;
import java.time.Duration;

/** Makes the wire's SQS client from its settings: where, as whom, and how long any call may take. */
final class SqsClients {

  /** Room for every consumer's long poll besides the sends, deletes and visibility changes. */
  private static final int MAX_CONNECTIONS = 200;

  private SqsClients() {
  }

  static SqsAsyncClient create(SqsSettings settings) {
    Duration requestTimeout = Duration.ofMillis(settings.requestTimeoutMillis());
    SqsAsyncClientBuilder builder = SqsAsyncClient.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials(settings))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
            .connectionTimeout(requestTimeout)
            // a receive waits up to waitTimeSeconds for its answer
            .readTimeout(Duration.ofSeconds(settings.waitTimeSeconds()).plus(requestTimeout))
            .connectionAcquisitionTimeout(requestTimeout)
            .maxConcurrency(MAX_CONNECTIONS))
        // the bound of every call, the SDK's own retries included; a receive and a ping set theirs
        .overrideConfiguration(override -> override.apiCallTimeout(requestTimeout));
    if (!settings.endpoint().isEmpty()) {
      builder.endpointOverride(URI.create(settings.endpoint()));
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(SqsSettings settings) {
    if (settings.hasStaticCredentials()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
