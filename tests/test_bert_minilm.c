/* Real-model parity: all-MiniLM-L6-v2 against HF transformers + sentence-transformers.
   Golden data: tests/golden/minilm_inputs.txt + minilm_ref.bin, written by tools/minilm_reference.py.
   The model: $MTL_MINILM_DIR (a Hugging Face folder; default build/models/all-MiniLM-L6-v2, made by
   tools/get_minilm.sh). When DIR.gguf exists it is loaded, else DIR is converted in memory.
   SKIPs when the model is absent. Under AddressSanitizer every 8th input only (speed), every
   $MTL_MINILM_STEP-th when set (the 32-bit ARM run under qemu). */
#include "../weights_convert/convert.h"
#include "mtl_test.h"

#include <math.h>

#if defined(__SANITIZE_ADDRESS__)
#define MTL_T_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MTL_T_ASAN 1
#endif
#endif

static int hexv(int c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; }
static size_t unhex(const char *s, size_t n, char *out) {
    size_t i;
    for (i = 0; i + 1 < n; i += 2) out[i / 2] = (char)(hexv((unsigned char)s[i]) * 16 + hexv((unsigned char)s[i + 1]));
    return n / 2;
}

static void test_minilm_parity(void) {
    const char *dir = getenv("MTL_MINILM_DIR");
    char gguf[1100], st[1100];
    char *txt, *line, *next;
    size_t txt_len, ref_len, len;
    float *ref;
    mtl_model *m = NULL;
    unsigned char *blob = NULL;
    mtl_error err;
    mtl_ctx ctx;
    int H, idx = 0, checked = 0, step = 1;
    double max_h = 0, max_e = 0, min_cos = 1;
#ifdef MTL_T_ASAN
    step = 8;
#endif
    if (getenv("MTL_MINILM_STEP") && atoi(getenv("MTL_MINILM_STEP")) > 1) step = atoi(getenv("MTL_MINILM_STEP")); /* a subset (qemu) */
    if (!dir || !*dir) dir = "build/models/all-MiniLM-L6-v2";
    snprintf(gguf, sizeof gguf, "%s.gguf", dir);
    snprintf(st, sizeof st, "%s/model.safetensors", dir);
    if (!mtl_t_exists(gguf) && !mtl_t_exists(st)) SKIP("all-MiniLM-L6-v2 not found at %s (run tools/get_minilm.sh or set MTL_MINILM_DIR)", dir);
    txt = mtl_t_read("tests/golden/minilm_inputs.txt", &txt_len);
    ref = (float *)(void *)mtl_t_read("tests/golden/minilm_ref.bin", &ref_len);
    CHECK(txt && ref, "golden files missing (tests/golden/minilm_*)");
    if (!txt || !ref) { free(txt); free(ref); return; }
    if (mtl_t_exists(gguf)) {
        CHECK(mtl_model_load(gguf, &m, &err) == MTL_OK, "load %s: %s", gguf, err.msg);
    } else {
        cv_result res;
        CHECK(cv_convert_dir(dir, NULL, 0, &res, &err) == MTL_OK, "convert %s: %s", dir, err.msg);
        blob = cv_result_blob(&res, &len);
        cv_result_free(&res);
        CHECK(blob && mtl_model_from_memory(blob, len, &m, &err) == MTL_OK, "load: %s", err.msg);
    }
    if (!m) { free(txt); free(ref); free(blob); return; }
    H = mtl_model_get_info(m)->hidden_size;
    mtl_ctx_init(&ctx, m, NULL);
    for (line = txt; line && *line; line = next, idx++) {
        char *f[5], *p = line, *a, *b = NULL;
        int nf = 0, n, pos, k;
        size_t la, lb = 0;
        float *emb, *tok;
        const float *re = ref + (size_t)idx * 2 * (size_t)H;
        mtl_forward_out out;
        const char *ta, *tb;
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        if (idx % step) continue;
        if ((size_t)(idx + 1) * 2 * (size_t)H * sizeof(float) > ref_len) { CHECK(0, "minilm_ref.bin too short"); break; }
        f[nf++] = p;
        while (nf < 5 && (p = strchr(p, '\t')) != NULL) { *p++ = 0; f[nf++] = p; }
        CHECK(nf == 5, "line %d malformed", idx + 1);
        if (nf != 5) break;
        n = atoi(f[2]);
        pos = atoi(f[3]);
        a = (char *)malloc(strlen(f[0]) / 2 + 1);
        la = unhex(f[0], strlen(f[0]), a);
        if (strcmp(f[1], "-") != 0) { b = (char *)malloc(strlen(f[1]) / 2 + 1); lb = unhex(f[1], strlen(f[1]), b); }
        emb = (float *)malloc((size_t)H * sizeof(float));
        tok = (float *)malloc((size_t)(n + 8) * (size_t)H * sizeof(float));
        memset(&out, 0, sizeof out);
        out.embeddings = emb;
        out.tokens = tok;
        ta = a;
        tb = b;
        CHECK(mtl_forward_texts(&ctx, 1, &ta, &la, b ? &tb : NULL, b ? &lb : NULL, NULL, &out, &err) == MTL_OK, "input %d: %s", idx + 1, err.msg);
        CHECK(out.n_tokens == n, "input %d: %d tokens, reference %d", idx + 1, out.n_tokens, n);
        if (out.n_tokens == n) {
            /* the same ids as HF */
            const char *q = f[4];
            for (k = 0; k < n; k++) {
                long id = strtol(q, (char **)&q, 10);
                CHECK(ctx.enc[0].ids[k] == id, "input %d token %d: id %d, HF %ld", idx + 1, k, ctx.enc[0].ids[k], id);
            }
            {
                double dot = 0, na = 0, nb = 0, d;
                int h;
                for (h = 0; h < H; h++) {
                    dot += (double)emb[h] * re[h];
                    na += (double)emb[h] * emb[h];
                    nb += (double)re[h] * re[h];
                    d = fabs((double)emb[h] - re[h]);
                    if (d > max_e) max_e = d;
                    d = fabs((double)tok[(size_t)pos * (size_t)H + (size_t)h] - re[H + h]);
                    if (d > max_h || d != d) max_h = d != d ? 1e30 : d;
                }
                d = dot / sqrt(na * nb);
                if (d < min_cos || d != d) min_cos = d != d ? -1 : d;
            }
            CHECK(out.n_truncated == (n == mtl_model_get_info(m)->max_seq_length && out.n_truncated), "truncation flag");
        }
        checked++;
        free(a);
        free(b);
        free(emb);
        free(tok);
    }
    printf("  %d inputs: sampled last_hidden_state max|d| = %.3g, embedding max|d| = %.3g, min cosine = %.9f\n", checked, max_h, max_e, min_cos);
    CHECK(checked >= (step == 1 ? 200 : 200 / step), "only %d inputs", checked);
    CHECK(max_h <= 1e-4, "last_hidden_state max|d| %g", max_h);
    CHECK(min_cos >= 0.99999, "min cosine %.9f", min_cos);
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    free(blob);
    free(txt);
    free(ref);
}

int main(void) {
    (void)mtl_t_path; /* harness helpers this test does not need */
    RUN(test_minilm_parity);
    TEST_MAIN_END();
}
