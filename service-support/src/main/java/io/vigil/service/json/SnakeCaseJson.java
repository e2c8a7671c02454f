package io.vigil.service.json;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * The suite's one JSON naming convention for REST: snake_case property names (contracts/README.md). Applied to the
 * ObjectMapper every service's REST layer uses; the OpenAPI documents follow it through
 * {@code mp.openapi.extensions.smallrye.property-naming-strategy} in each service's configuration.
 */
@Singleton
class SnakeCaseJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }
}
