package org.wardline.clients.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * What the CLI and the chat client print when an upload or a share link is refused or needs a justification
 * because of PHI.
 */
class UploadRefusalMessageTest {

    private static WardlineClientException refusal(String body) throws Exception {
        return new WardlineClientException("upload.justification_required", 422, "This file needs a justification.",
                null, new ObjectMapper().readTree(body));
    }

    @Test
    void theServersCategoryCountsAreNamed() throws Exception {
        WardlineClientException e = Files.withFindings(refusal("{\"verdict\":{\"decision\":\"REQUIRE_JUSTIFICATION\","
                + "\"reasons\":[{\"code\":\"phi.PERSON_NAME\",\"count\":2},{\"code\":\"phi.MRN\",\"count\":1}],"
                + "\"found\":\"1 medical record number, 2 names\"}}"));
        assertThat(e.getMessage()).isEqualTo("This file needs a justification. Found: 1 medical record number, 2 names.");
        assertThat(e.errorCode()).isEqualTo("upload.justification_required");
    }

    @Test
    void anOlderServersRuleCodesAreNamedInstead() throws Exception {
        WardlineClientException e = Files.withFindings(refusal(
                "{\"verdict\":{\"reasons\":[{\"code\":\"phi.SSN\",\"count\":1}]}}"));
        assertThat(e.getMessage()).endsWith("Found: phi.SSN.");
    }

    @Test
    void aRefusedShareLinkNamesTheCountsToo() throws Exception {
        String verdict = "{\"verdict\":{\"decision\":\"QUARANTINE\",\"reasons\":[{\"code\":\"phi.SSN\",\"count\":1}],"
                + "\"found\":\"1 social security number\"}}";
        for (String code : new String[] {"link.file_not_shareable", "link.justification_required"}) {
            WardlineClientException e = Files.withFindings(new WardlineClientException(code, 422,
                    "This file may not be shared.", null, new ObjectMapper().readTree(verdict)));
            assertThat(e.getMessage()).isEqualTo("This file may not be shared. Found: 1 social security number.");
            assertThat(e.errorCode()).isEqualTo(code);
        }
    }

    @Test
    void otherRefusalsAreLeftAsTheServerSaidThem() throws Exception {
        WardlineClientException e = Files.withFindings(new WardlineClientException("resource.not_found", 404,
                "Not found.", null, new ObjectMapper().readTree("{\"verdict\":{\"found\":\"1 name\"}}")));
        assertThat(e.getMessage()).isEqualTo("Not found.");
    }
}
