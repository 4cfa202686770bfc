package app.confab.delivery;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class EventBusConfig {

    @Bean
    EventBus eventBus() {
        return new LocalEventBus();
    }
}
