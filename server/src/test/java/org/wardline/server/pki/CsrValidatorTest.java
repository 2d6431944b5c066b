package org.wardline.server.pki;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsrValidatorTest {
    private static final Provider BC = new BouncyCastleProvider();

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static PKCS10CertificationRequest csr(KeyPair keys, String signature, boolean withExtension) throws Exception {
        var b = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=anything, O=ignored"), keys.getPublic());
        if (withExtension) {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        return b.build(new JcaContentSignerBuilder(signature).setProvider(BC).build(keys.getPrivate()));
    }

    static String pem(PKCS10CertificationRequest csr) throws Exception {
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(csr.getEncoded())
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    private static void assertRefused(ThrowingRunnable r, ErrorCode expected) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(WardlineHttpException.class,
                e -> assertThat(e.code()).isEqualTo(expected));
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1"})
    void acceptsP256AndP384InPemAndDer(String curve) throws Exception {
        KeyPair keys = ec(curve);
        PKCS10CertificationRequest request = csr(keys, curve.equals("secp256r1") ? "SHA256withECDSA" : "SHA384withECDSA", false);
        PublicKey fromPem = CsrValidator.validate(pem(request));
        PublicKey fromDer = CsrValidator.validate(request.getEncoded());
        PublicKey fromBase64 = CsrValidator.validate(Base64.getEncoder().encodeToString(request.getEncoded()));
        assertThat(fromPem.getEncoded()).isEqualTo(keys.getPublic().getEncoded());
        assertThat(fromDer.getEncoded()).isEqualTo(keys.getPublic().getEncoded());
        assertThat(fromBase64.getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    }

    @Test
    void refusesAnRsaKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String request = pem(csr(g.generateKeyPair(), "SHA256withRSA", false));
        assertRefused(() -> CsrValidator.validate(request), ErrorCode.CSR_KEY_UNSUPPORTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp192r1", "secp256k1", "secp521r1"})
    void refusesOtherCurves(String curve) throws Exception {
        String request = pem(csr(ec(curve), "SHA256withECDSA", false));
        assertRefused(() -> CsrValidator.validate(request), ErrorCode.CSR_KEY_UNSUPPORTED);
    }

    @Test
    void refusesRequestedExtensions() throws Exception {
        String request = pem(csr(ec("secp256r1"), "SHA256withECDSA", true));
        assertRefused(() -> CsrValidator.validate(request), ErrorCode.CSR_EXTENSIONS_REFUSED);
    }

    @Test
    void refusesAForgedSignature() throws Exception {
        KeyPair claimed = ec("secp256r1");
        KeyPair signer = ec("secp256r1");
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), claimed.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(signer.getPrivate()));
        assertRefused(() -> CsrValidator.validate(request.getEncoded()), ErrorCode.CSR_INVALID);
    }

    @Test
    void refusesGarbageTruncatedAndEmptyInput() throws Exception {
        byte[] der = csr(ec("secp256r1"), "SHA256withECDSA", false).getEncoded();
        String pem = pem(csr(ec("secp256r1"), "SHA256withECDSA", false));
        assertRefused(() -> CsrValidator.validate(new byte[] {0x30, (byte) 0x82, 0x01, 0x00, 0x01, 0x02}), ErrorCode.CSR_INVALID);
        assertRefused(() -> CsrValidator.validate(Arrays.copyOf(der, der.length / 2)), ErrorCode.CSR_INVALID);
        assertRefused(() -> CsrValidator.validate(pem.substring(0, pem.length() / 2)), ErrorCode.CSR_INVALID);
        assertRefused(() -> CsrValidator.validate(pem.replace("-----END CERTIFICATE REQUEST-----\n", "")), ErrorCode.CSR_INVALID);
        assertRefused(() -> CsrValidator.validate("not a request at all!"), ErrorCode.CSR_INVALID);
        assertRefused(() -> CsrValidator.validate(""), ErrorCode.CSR_INVALID);
        assertRefused(() -> CsrValidator.validate(pem.replace("CERTIFICATE REQUEST", "CERTIFICATE")), ErrorCode.CSR_INVALID);
        assertRefused(() -> CsrValidator.validate(new byte[CsrValidator.MAX_BYTES * 3]), ErrorCode.CSR_INVALID);
    }

    @Test
    void refusalsDoNotEchoTheRequest() throws Exception {
        String request = pem(csr(ec("secp256k1"), "SHA256withECDSA", false));
        assertThatThrownBy(() -> CsrValidator.validate(request))
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain("MII").hasSizeLessThan(60));
    }
}
