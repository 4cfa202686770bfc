package app.confab.delivery;

import java.util.function.BiFunction;

import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;
import app.confab.protocol.Request;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * The one way a feature registers its WebSocket requests (docs/recipes/add-a-websocket-request.md):
 * its {@code @Configuration} extends this and declares one {@code @Bean} {@link ClientEventHandler}
 * per request, naming the {@link Request} record (which names the type) and what to do with it.
 * {@link WebSocketEndpoint} finds the beans by type and answers with an ack of what the action
 * returns. Binding failures become VALIDATION_ERROR naming the field, as on the REST endpoints.
 */
public abstract class ClientEvents {

    /** A request type and its action on the frame's data object. */
    private record Handler(String type, BiFunction<AuthenticatedUser, JsonNode, Object> action)
            implements ClientEventHandler {
        @Override
        public Object handle(AuthenticatedUser user, JsonNode data) {
            return action.apply(user, data);
        }
    }

    private final ObjectMapper objectMapper;

    protected ClientEvents(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** The request {@code type}: its data bound to the record, then handed to the action. */
    protected final <R extends Request> ClientEventHandler handler(Class<R> type,
                                                                  BiFunction<AuthenticatedUser, R, Object> action) {
        return new Handler(Request.typeOf(type), (user, data) -> action.apply(user, read(data, type)));
    }

    /**
     * The request {@code type} with its data as sent, for actions that check it themselves (with
     * their own, older error messages).
     */
    protected static ClientEventHandler unboundHandler(Class<? extends Request> type,
                                                       BiFunction<AuthenticatedUser, JsonNode, Object> action) {
        return new Handler(Request.typeOf(type), action);
    }

    /** A field the record allows to be null but the request requires: VALIDATION_ERROR naming it. */
    protected static <T> T required(String field, T value) {
        if (value == null) {
            throw ApiException.validation(field, field + " is required");
        }
        return value;
    }

    /** Binds a frame's data object, turning binding failures into VALIDATION_ERROR naming the field. */
    private <T> T read(JsonNode data, Class<T> type) {
        if (data == null || data.isNull() || data.isMissingNode()) {
            data = objectMapper.createObjectNode();
        }
        if (!data.isObject()) {
            throw ApiException.validation("data", "Must be an object");
        }
        try {
            return objectMapper.treeToValue(data, type);
        } catch (DatabindException e) {
            String field = e.getPath().isEmpty() || e.getPath().getFirst().getPropertyName() == null
                    ? "data" : e.getPath().getFirst().getPropertyName();
            throw ApiException.validation(field, e instanceof InvalidFormatException ? "Has the wrong format" : "Has the wrong type");
        }
    }
}
