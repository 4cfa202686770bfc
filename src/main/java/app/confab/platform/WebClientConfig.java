package app.confab.platform;

import java.io.IOException;
import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.EncodedResourceResolver;
import org.springframework.web.servlet.resource.PathResourceResolver;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves the web client (built by the Maven build into {@code static/} on the classpath) at
 * {@code /}. Any GET that is not a file name and not a server route gets {@code index.html}, so the
 * client's own routes ({@code /chats/...}) work on reload and as deep links (history-API
 * fallback). Server routes keep their own answers: unknown {@code /api/**}, {@code /ws},
 * {@code /health*} and {@code /metrics} paths stay JSON errors.
 *
 * <p>Boot's default static mapping stays off ({@code spring.web.resources.add-mappings: false}):
 * this is the only static mapping, so nothing else is ever served from the classpath.
 */
@Configuration(proxyBeanMethods = false)
public class WebClientConfig implements WebMvcConfigurer {

    private static final String LOCATION = "classpath:/static/";

    // A strict policy: the client is one same-origin bundle and never needs inline script.
    private static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' blob: data:",
            "connect-src 'self' ws: wss:",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'");

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // Hashed file names: a file under /assets/ never changes, so it may be cached for good.
        registry.addResourceHandler("/assets/**")
                .addResourceLocations(LOCATION + "assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
                .resourceChain(true)
                .addResolver(new EncodedResourceResolver())
                .addResolver(new PathResourceResolver());
        // Everything else: revalidate each time, so a new deployment is picked up at once.
        registry.addResourceHandler("/**")
                .addResourceLocations(LOCATION)
                .setCacheControl(CacheControl.noCache())
                .resourceChain(true)
                .addResolver(new EncodedResourceResolver())
                .addResolver(new SinglePageAppResolver());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        // Only the client's files: springdoc's UI under /api/docs brings its own needs.
        registry.addInterceptor(new ClientSecurityHeaders()).excludePathPatterns("/api/**");
    }

    /** True for paths that belong to the server, never to the client's router. */
    static boolean isServerPath(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.equals("api") || p.startsWith("api/")
                || p.equals("ws") || p.startsWith("ws/")
                || p.startsWith("health")
                || p.equals("metrics") || p.startsWith("metrics/")
                || p.equals("error");
    }

    /** Files as they are; any other client path gets index.html. */
    static final class SinglePageAppResolver extends PathResourceResolver {
        @Override
        protected Resource getResource(String resourcePath, Resource location) throws IOException {
            if (isServerPath(resourcePath)) {
                return null;
            }
            Resource file = super.getResource(resourcePath, location);
            if (file != null) {
                return file;
            }
            // A missing file (a name with an extension, any missing asset) is a real 404, not the
            // app shell: the client's own routes never end in a file name.
            if (resourcePath.startsWith("assets/") || looksLikeFile(resourcePath)) {
                return null;
            }
            return super.getResource("index.html", location);
        }
    }

    static boolean looksLikeFile(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.indexOf('.') > 0;
    }

    /** Security headers for the client's pages and files. */
    static final class ClientSecurityHeaders implements HandlerInterceptor {
        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
            if (handler instanceof ResourceHttpRequestHandler) {
                response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                response.setHeader("X-Content-Type-Options", "nosniff");
                response.setHeader("Referrer-Policy", "same-origin");
                response.setHeader("X-Frame-Options", "DENY");
            }
            return true;
        }
    }
}
