package org.opentrade.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.opentrade.sdk.invoker.ApiException;

/**
 * An error answered by OpenTrade, in its one error model ({@code error_no}, {@code error},
 * {@code trace_id}), typed by the {@code error_no} range so a caller can catch what it can act on:
 * {@link InvalidRequestException} -1xxx, {@link AuthenticationException} -2xxx,
 * {@link RateLimitException} -3xxx, {@link OrderRejectedException} -4xxx, {@link ExchangeException}
 * -5xxx, {@link MarketDataException} -6xxx, {@link ServerException} -9xxx (and answers that are not
 * the error model), {@link ConnectionException} when no answer came at all,
 * {@link UnexpectedResponseException} when a success answer could not be read.
 */
public class OpenTradeException extends RuntimeException {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int httpStatus;
    private final int errorNo;
    private final String traceId;
    private final String body;
    private final Duration retryAfter;

    protected OpenTradeException(int httpStatus, int errorNo, String message, String traceId, String body,
            Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorNo = errorNo;
        this.traceId = traceId;
        this.body = body;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status, or 0 when no answer came (a {@link ConnectionException}). */
    public int httpStatus() {
        return httpStatus;
    }

    /** The {@code error_no} (negative), or 0 when the answer was not the error model. */
    public int errorNo() {
        return errorNo;
    }

    /** The {@code trace_id} to quote when reporting the error; null when unknown. */
    public String traceId() {
        return traceId;
    }

    /** The raw response body (empty when none). */
    public String body() {
        return body;
    }

    /** The {@code Retry-After} the server asked for, if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The body as JSON (an empty object when it is not JSON), e.g. for the {@code order} of a refusal. */
    public JsonNode json() {
        try {
            return body == null || body.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(body);
        } catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }

    /** Types the generated client's exception by the error model in its body. */
    public static OpenTradeException from(ApiException e) {
        if (e.getCode() == 0) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return new UnexpectedResponseException(cause.getMessage(), cause);
            }
            return new ConnectionException(e.getMessage(), cause);
        }
        String body = e.getResponseBody() == null ? "" : e.getResponseBody();
        Duration retryAfter = e.getResponseHeaders() == null ? null
                : e.getResponseHeaders().firstValue("Retry-After").map(RetryPolicy::parseRetryAfter).orElse(null);
        return of(e.getCode(), body, retryAfter, e);
    }

    /** Types an error answer: status, body and its {@code Retry-After}. */
    public static OpenTradeException of(int httpStatus, String body, Duration retryAfter, Throwable cause) {
        int errorNo = 0;
        String message = "HTTP " + httpStatus;
        String traceId = null;
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json != null && json.path("error_no").isInt()) {
                errorNo = json.get("error_no").asInt();
                message = json.path("error").asText(message);
                traceId = json.path("trace_id").isTextual() ? json.get("trace_id").asText() : null;
            }
        } catch (IOException notJson) {
            // not the error model (a proxy's page, say): typed by status below, the body kept as is
        }
        String text = errorNo == 0 ? message : "[" + errorNo + "] " + message;
        switch (-errorNo / 1000) {
            case 1: return new InvalidRequestException(httpStatus, errorNo, text, traceId, body, retryAfter, cause);
            case 2: return new AuthenticationException(httpStatus, errorNo, text, traceId, body, retryAfter, cause);
            case 3: return new RateLimitException(httpStatus, errorNo, text, traceId, body, retryAfter, cause);
            case 4: return new OrderRejectedException(httpStatus, errorNo, text, traceId, body, retryAfter, cause);
            case 5: return new ExchangeException(httpStatus, errorNo, text, traceId, body, retryAfter, cause);
            case 6: return new MarketDataException(httpStatus, errorNo, text, traceId, body, retryAfter, cause);
            default: return new ServerException(httpStatus, errorNo, text, traceId, body, retryAfter, cause);
        }
    }
}
