package app.confab.platform;

import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/** The generated OpenAPI document at /api/docs: bearer authentication, and no internal parameters. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    static {
        // The caller comes from the bearer token (ApiAccessFilter), never from request parameters.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthenticatedUser.class);
    }

    @Bean
    OpenAPI confabOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Confab API").version("v1")
                        .description("Errors: {\"error\":{code,message,details,timestamp,requestId}}; "
                                + "lists: {\"data\":[...],\"nextCursor\":...,\"hasMore\":...}."))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
