package dev.switchboard.app;

import dev.switchboard.app.http.TestTokens;
import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.payments.PaymentAuthorized;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.switchboard.app.TestNode.await;
import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The live page at {@code /} in a real browser, Debian's Chromium (headless, driven by Selenium through
 * Debian's ChromeDriver), against a real node: what a person sees without ever reloading the page.
 *
 * <p>A missing browser fails the test, saying how to install it: a skipped browser test would pass
 * a broken page unnoticed.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LivePageIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** Longer than {@link TestNode#TIMEOUT}: vertx-eventbus.js waits up to 5 s between two reconnect attempts. */
  private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
  /**
   * Selenium warns, on every start, that it knows no DevTools protocol as new as this Chromium's; the
   * test drives the browser through WebDriver alone, so the warning is noise. Held here, as
   * java.util.logging keeps its loggers only weakly.
   */
  private static final Logger CDP_VERSION_WARNINGS = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

  @TempDir
  Path dir;

  private TestNode node;
  private TcpProxy proxy;
  private WebDriver chromium;

  @AfterEach
  void stopEverything() {
    if (chromium != null) {
      chromium.quit();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void an_order_placed_with_the_form_turns_confirmed_without_a_reload_and_shows_its_events(Vertx vertx) {
    Page page = openOnNode(vertx);
    page.markLoaded();

    String orderId = page.placeOrder("browser-customer", "sku-2", "2", ""); // no price: the catalog's, 20.00

    page.awaitStatus(orderId, "CONFIRMED");
    page.await("the customer and total of " + orderId, driver -> "browser-customer".equals(page.text(orderId, ".customer"))
        && "40.00".equals(page.text(orderId, ".total")));
    // the order just placed is open: its timeline holds every event of its history, and only those
    JsonArray history = node.awaitEvent(orderId, "NotificationSent");
    List<String> eventIds = history.stream().map(event -> ((JsonObject) event).getString("id")).toList();
    page.await("the timeline of " + orderId + " to show its " + eventIds.size() + " events",
        driver -> page.timelineIds(orderId).size() == eventIds.size());
    assertThat(page.timelineIds(orderId)).containsExactlyInAnyOrderElementsOf(eventIds);
    assertThat(page.timelineLines(orderId)).anySatisfy(line -> assertThat(line).contains("OrderPlaced", "/orders"))
        .anySatisfy(line -> assertThat(line).contains("OrderConfirmed"));
    assertThat(page.text("dead-letter-count")).isEqualTo("0");
    assertThat(page.stillLoaded()).as("the page was never reloaded").isTrue();
  }

  @Test
  void an_order_the_api_refuses_shows_what_is_wrong_field_by_field(Vertx vertx) {
    Page page = openOnNode(vertx);

    page.submitOrder("browser-customer", "sku-1", "0", "a lot");

    page.await("the API's refusal", driver -> "error".equals(page.resultOutcome()));
    assertThat(page.text("order-result")).contains("(400)", "items[0].quantity must be positive",
        "items[0].unitPrice must be a number");
    assertThat(page.invalidInputs()).containsExactlyInAnyOrder("quantity", "unitPrice");
  }

  @Test
  void an_order_placed_elsewhere_appears_with_its_customer_and_events(Vertx vertx) {
    Page page = openOnNode(vertx);

    String orderId = node.place(order("api-customer", item("sku-1", 1, 10)));

    page.awaitStatus(orderId, "CONFIRMED");
    page.await("the customer of " + orderId, driver -> "api-customer".equals(page.text(orderId, ".customer")));
    page.expand(orderId);
    JsonArray history = node.awaitEvent(orderId, "NotificationSent");
    page.await("the timeline of " + orderId + " to show its " + history.size() + " events",
        driver -> page.timelineIds(orderId).size() == history.size());
  }

  @Test
  void after_the_bridge_dropped_the_page_reconnects_and_catches_up_on_what_it_missed(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    proxy = TcpProxy.to(vertx, "127.0.0.1", node.port());
    Page page = open(proxy.port());
    page.markLoaded();

    proxy.cut();
    page.awaitConnection("reconnecting");
    // the whole life of this order happens while the page cannot hear of it
    String orderId = node.place(order("while-away", item("sku-1", 1, 10)));
    node.awaitFinal(orderId);
    proxy.restore();

    page.awaitConnection("connected");
    page.awaitStatus(orderId, "CONFIRMED");
    page.await("the customer of " + orderId, driver -> "while-away".equals(page.text(orderId, ".customer")));
    assertThat(page.stillLoaded()).as("the page was never reloaded").isTrue();
  }

  @Test
  void the_operations_view_shows_lags_and_a_dead_letter_with_its_reason_and_replays_and_discards_it(Vertx vertx) {
    Page page = openOnNode(vertx);
    String ghost = "ghost-" + UUID.randomUUID();
    EventEnvelope poison = EventFactory.system().create(
        EventCatalog.PAYMENT_AUTHORIZED, ghost,
        new PaymentAuthorized(ghost, new BigDecimal("10")),
        new EventFactory.Cause(ghost, null));
    TestNode.await(node.store().commit(UnitOfWork.of(
        new StreamAppend(Streams.of(poison),
            ExpectedVersion.ANY, List.of(poison)))), "a payment for no order");

    String letter = "#dead-letters li.dead-letter";
    page.await("the dead letter to be listed with its reason", driver -> driver.findElements(By.cssSelector(letter))
        .stream().anyMatch(item -> item.getText().contains("orders-saga") && item.getText().contains(ghost)));
    page.await("the consumers' lags to be shown", driver -> driver.findElements(
        By.cssSelector("#consumer-lags tr[data-name='payments']")).size() == 1);
    page.await("the read models' lags to be shown", driver -> driver.findElements(
        By.cssSelector("#projection-lags tr[data-name='orders']")).size() == 1);

    chromium.findElement(By.cssSelector(letter + " button.replay")).click();
    page.await("the replay's outcome", driver -> driver.findElements(By.cssSelector(letter)).stream()
        .anyMatch(item -> "DEAD_LETTERED_AGAIN".equals(item.getDomAttribute("data-outcome"))));
    chromium.findElement(By.cssSelector(letter + " button.discard")).click();

    page.await("the discarded letter to be gone", driver -> driver.findElements(By.cssSelector(letter)).isEmpty());
    assertThat(node.get("/dead-letters").bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void on_a_secured_node_the_page_asks_for_a_token_first_and_a_customer_sees_its_own_orders_only(Vertx vertx) {
    TestTokens tokens = new TestTokens(vertx);
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("security", tokens.securityConfig())));
    String bobs = await(node.client().post("/orders").bearerTokenAuthentication(tokens.customer("bob"))
        .sendJsonObject(order("bob", item("sku-1", 1, 10))), "bob's order").bodyAsJsonObject().getString("orderId");
    chromium = startChromium(dir.resolve("chromium-profile"));
    chromium.get("http://127.0.0.1:" + node.port() + "/");
    Page page = new Page(chromium);

    page.await("the sign-in form", driver -> driver.findElement(By.id("sign-in")).isDisplayed());
    assertThat(chromium.findElement(By.id("live")).isDisplayed()).as("nothing else shows before signing in").isFalse();
    page.signIn("not-a-token");
    page.await("the refusal", driver -> page.text("sign-in-message").contains("refused"));
    page.signIn(tokens.customer("alice"));
    page.awaitConnection("connected");

    assertThat(chromium.findElement(By.id("operations")).isDisplayed()).as("operations are for operators").isFalse();
    assertThat(chromium.findElement(By.name("customerId")).getDomProperty("value")).isEqualTo("alice");
    page.submitOwnOrder("sku-1", "1", "10.00");
    page.await("the API to accept the order", driver -> "accepted".equals(page.resultOutcome()));
    String alices = chromium.findElement(By.id("order-result")).getDomAttribute("data-order-id");
    page.awaitStatus(alices, "CONFIRMED");
    String operator = tokens.operator("ops-1");
    TestNode.poll("bob's order to be final", () -> await(node.client().get("/orders/" + bobs)
        .bearerTokenAuthentication(operator).send(), "GET bob's order").bodyAsJsonObject().getString("status"),
        TestNode.FINAL::contains);
    assertThat(chromium.findElements(By.cssSelector("li.order[data-order-id='" + bobs + "']")))
        .as("bob's order is not alice's to see").isEmpty();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private Page openOnNode(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    return open(node.port());
  }

  private Page open(int port) {
    chromium = startChromium(dir.resolve("chromium-profile"));
    chromium.get("http://127.0.0.1:" + port + "/");
    Page page = new Page(chromium);
    page.awaitConnection("connected");
    return page;
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.OFF);
    return logger;
  }

  private static WebDriver startChromium(Path profile) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("LivePageIT drives Debian's Chromium, and " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: "
          + "install them with `apt-get install -y chromium chromium-driver` (ensure_chromium in scripts/browser.sh)");
    }
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM.toFile())
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile);
    // the driver is given, so Selenium Manager never looks for one online
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    return new ChromeDriver(service, options);
  }

  /** The live page as a person uses it: the form, the orders, their timelines, the connection. */
  private static final class Page {

    private final WebDriver driver;

    Page(WebDriver driver) {
      this.driver = driver;
    }

    String placeOrder(String customerId, String productId, String quantity, String unitPrice) {
      submitOrder(customerId, productId, quantity, unitPrice);
      await("the API to accept the order", d -> "accepted".equals(resultOutcome()));
      return driver.findElement(By.id("order-result")).getDomAttribute("data-order-id");
    }

    void submitOrder(String customerId, String productId, String quantity, String unitPrice) {
      type("customerId", customerId);
      type("productId", productId);
      type("quantity", quantity);
      type("unitPrice", unitPrice);
      driver.findElement(By.cssSelector("#order-form button[type=submit]")).click();
    }

    private void type(String name, String text) {
      WebElement input = driver.findElement(By.name(name));
      input.clear();
      input.sendKeys(text);
    }

    void signIn(String token) {
      WebElement pasted = driver.findElement(By.cssSelector("#sign-in textarea"));
      pasted.clear();
      pasted.sendKeys(token);
      driver.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
    }

    /** The form as a customer meets it: its own id set, the rest to fill. */
    void submitOwnOrder(String productId, String quantity, String unitPrice) {
      type("productId", productId);
      type("quantity", quantity);
      type("unitPrice", unitPrice);
      driver.findElement(By.cssSelector("#order-form button[type=submit]")).click();
    }

    String resultOutcome() {
      return driver.findElement(By.id("order-result")).getDomAttribute("data-outcome");
    }

    List<String> invalidInputs() {
      return driver.findElements(By.cssSelector("#order-form input[aria-invalid=true]")).stream()
          .map(input -> input.getDomAttribute("name")).toList();
    }

    void awaitConnection(String state) {
      await("the connection to show " + state,
          d -> state.equals(driver.findElement(By.id("connection")).getDomAttribute("data-state")));
    }

    void awaitStatus(String orderId, String status) {
      await("order " + orderId + " to show " + status, d -> status.equals(script(
          "return document.querySelector(`li.order[data-order-id='${arguments[0]}'] .status`)?.textContent ?? null",
          orderId)));
    }

    void expand(String orderId) {
      driver.findElement(By.cssSelector(row(orderId) + " summary")).click();
    }

    String text(String orderId, String selector) {
      return driver.findElement(By.cssSelector(row(orderId) + " " + selector)).getText();
    }

    String text(String id) {
      return driver.findElement(By.id(id)).getText();
    }

    /** The ids of the events the order's timeline shows, read in one go (the list is redrawn as events come). */
    @SuppressWarnings("unchecked")
    List<String> timelineIds(String orderId) {
      return (List<String>) script("return [...document.querySelectorAll(`li.order[data-order-id='${arguments[0]}'] "
          + ".timeline li`)].map(item => item.dataset.eventId)", orderId);
    }

    @SuppressWarnings("unchecked")
    List<String> timelineLines(String orderId) {
      return (List<String>) script("return [...document.querySelectorAll(`li.order[data-order-id='${arguments[0]}'] "
          + ".timeline li`)].map(item => item.textContent)", orderId);
    }

    /** Leaves a mark in the window that a reload would wipe. */
    void markLoaded() {
      script("window.loadedOnce = true");
    }

    boolean stillLoaded() {
      return Boolean.TRUE.equals(script("return window.loadedOnce === true"));
    }

    void await(String what, ExpectedCondition<Boolean> condition) {
      new WebDriverWait(driver, PAGE_WAIT)
          .pollingEvery(Duration.ofMillis(50))
          .withMessage("waiting for " + what)
          .until(condition);
    }

    private Object script(String script, Object... arguments) {
      return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    private static String row(String orderId) {
      return "li.order[data-order-id='" + Objects.requireNonNull(orderId) + "']";
    }
  }
}
