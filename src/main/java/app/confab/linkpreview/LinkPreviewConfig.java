package app.confab.linkpreview;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The address filter is a bean so a test can allow its one local server (a @Primary bean of its own). */
@Configuration(proxyBeanMethods = false)
class LinkPreviewConfig {

    @Bean
    AddressFilter publicAddressFilter() {
        return new PublicAddressFilter();
    }
}
