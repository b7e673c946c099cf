package org.opentrade.sdk;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import org.opentrade.sdk.invoker.ApiClient;
import org.opentrade.sdk.model.CancelAllItem;
import org.opentrade.sdk.model.Canceled;
import org.opentrade.sdk.model.NotCanceled;

/**
 * The object mapper of the generated client, with {@code CancelAllItem} read by its {@code status}.
 * The generated {@code oneOf} deserializer tries every variant and needs exactly one to accept the
 * body, but the mapper ignores unknown fields (so a newer server's fields do not break an older SDK),
 * so both variants accept either body. The contract's variants differ by {@code status}: 200 is
 * {@code Canceled}, anything else {@code NotCanceled}; a mix-in swaps in that rule.
 */
final class ClosedShapes {
    private ClosedShapes() {
    }

    @JsonDeserialize(using = CancelAllItemByStatus.class)
    private interface ByStatus {
    }

    static final class CancelAllItemByStatus extends JsonDeserializer<CancelAllItem> {
        @Override
        public CancelAllItem deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = p.readValueAsTree();
            if (node.path("status").asInt() == 200) {
                return new CancelAllItem(p.getCodec().treeToValue(node, Canceled.class));
            }
            return new CancelAllItem(p.getCodec().treeToValue(node, NotCanceled.class));
        }
    }

    static ObjectMapper mapper() {
        ObjectMapper m = ApiClient.createDefaultObjectMapper();
        m.addMixIn(CancelAllItem.class, ByStatus.class);
        return m;
    }
}
