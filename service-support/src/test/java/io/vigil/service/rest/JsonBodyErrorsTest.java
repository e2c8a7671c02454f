package io.vigil.service.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

class JsonBodyErrorsTest {

    public record Step(double share) {
    }

    public record Plan(String reason, List<Step> steps) {
    }

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void namesThePathOfAValueOfTheWrongType() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> json.readValue("{\"reason\":\"x\",\"steps\":[{\"share\":0.1},{\"share\":\"lots\"}]}", Plan.class));
        assertEquals("steps[1].share", JsonBodyErrors.field(e));
        assertTrue(JsonBodyErrors.detail(e).startsWith("request body is not valid JSON for this resource: "));
    }

    @Test
    void aBodyNestedPastTheParserLimitIsTheBodysFaultAndTheDetailStaysShort() {
        String deep = "{\"a\":".repeat(1_100) + "1" + "}".repeat(1_100);
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> json.readTree(deep));
        assertEquals("body", JsonBodyErrors.field(e));
        String detail = JsonBodyErrors.detail(e);
        assertTrue(detail.contains("nesting depth"), detail);
        assertFalse(detail.contains("StreamConstraintsException"), detail);
        assertTrue(detail.length() <= "request body is not valid JSON for this resource: ".length() + 203, detail);
    }

    @Test
    void notJsonAtAllIsTheBodysFault() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> json.readTree("{nope"));
        assertEquals("body", JsonBodyErrors.field(e));
    }
}
