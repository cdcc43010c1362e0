package dev.switchboard.app.http;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 written by hand over a socket, for requests no polite client sends: a foreign
 * {@code Host}, none at all, an {@code Origin} of another site. Blocking: call it from the test's thread.
 */
record RawHttp(int status, String head, String body) {

  static RawHttp send(int port, String method, String path, String headers, String body) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      String request = method + " " + path + " HTTP/1.1\r\n" + headers
          + (body == null ? "" : "Content-Length: " + content.length + "\r\n")
          + "Connection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.write(content);
      out.flush();
      String answer = readAll(socket.getInputStream());
      int split = answer.indexOf("\r\n\r\n");
      String head = split < 0 ? answer : answer.substring(0, split);
      String rest = split < 0 ? "" : answer.substring(split + 4);
      return new RawHttp(Integer.parseInt(head.substring(9, 12)), head, rest);
    } catch (IOException e) {
      throw new AssertionError("a raw request to port " + port + " failed", e);
    }
  }

  boolean hasHeader(String name) {
    return head.toLowerCase(Locale.ROOT).contains("\r\n" + name.toLowerCase(Locale.ROOT) + ":");
  }

  JsonObject json() {
    return new JsonObject(body.trim());
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
