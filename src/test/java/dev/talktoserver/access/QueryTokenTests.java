package dev.talktoserver.access;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query's token, out of the request that the rest of the handshake sees, and into the attribute
 * that the token check reads; the other parameters stay as they came.
 */
class QueryTokenTests {

	@Test
	void theTokenLeavesTheQueryAndItsParametersWhileTheOthersStay() {
		MockHttpServletRequest request = request("lang=en&access_token=abc.def-ghi&name=a%20b&name=c");
		HttpServletRequest seen = QueryToken.takenOut(request);
		assertThat(seen.getQueryString()).isEqualTo("lang=en&name=a%20b&name=c");
		assertThat(seen.getParameterMap()).containsOnlyKeys("lang", "name");
		assertThat(seen.getParameter("access_token")).isNull();
		assertThat(seen.getParameterValues("name")).containsExactly("a b", "c");
		assertThat(request.getAttribute(QueryToken.ATTRIBUTE)).isEqualTo("abc.def-ghi");
	}

	@Test
	void aQueryOfTheTokenAloneLeavesNone() {
		HttpServletRequest seen = QueryToken.takenOut(request("access_token=abc"));
		assertThat(seen.getQueryString()).isNull();
		assertThat(seen.getParameterMap()).isEmpty();
	}

	@Test
	void aRequestWithoutTheParameterIsLeftAsItIs() {
		MockHttpServletRequest request = request("my_access_token=abc");
		assertThat(QueryToken.takenOut(request)).isSameAs(request);
		assertThat(request.getAttribute(QueryToken.ATTRIBUTE)).isNull();
		MockHttpServletRequest none = request(null);
		assertThat(QueryToken.takenOut(none)).isSameAs(none);
	}

	private static MockHttpServletRequest request(String query) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/talk-to-server");
		request.setQueryString(query);
		return request;
	}

}
