package app.confab.search;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import app.confab.platform.AuthenticatedUser;

@RestController
class SearchController {

    private final SearchService search;

    SearchController(SearchService search) {
        this.search = search;
    }

    /** {@code GET /api/messages/search?q=&chatId=&cursor=&limit=&sort=newest|relevance} (docs/SEARCH.md). */
    @GetMapping("/api/messages/search")
    SearchResults search(AuthenticatedUser user,
                         @RequestParam(required = false) String q,
                         @RequestParam(required = false) String chatId,
                         @RequestParam(required = false) String cursor,
                         @RequestParam(required = false) String limit,
                         @RequestParam(required = false) String sort) {
        return search.search(user.userId(), new SearchService.Request(q, chatId, cursor, limit, sort));
    }
}
