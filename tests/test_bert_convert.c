/* weights_convert on folder variants made from tiny-random-bert: sharded safetensors with the
   "bert." prefix and a BertForSequenceClassification head (id2label), pytorch_model.bin shards (the
   same GGUF bytes as model.safetensors), BF16 weights, and the
   refusals for missing weights / a bad pytorch_model.bin / a RoBERTa decoder config. */
#include "../weights_convert/convert.h"
#include "mtl_test.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_model_dir[1024];

/* Writes a safetensors file of tensors [from, to) of ts, names prefixed, as F32 or BF16 (truncating). */
static int write_st(const char *path, const cv_tensors *ts, int from, int to, const char *prefix, int bf16,
                    const cv_tensor *extra, int n_extra) {
    cv_buf h, d;
    FILE *f;
    int i, first = 1;
    char tmp[512];
    memset(&h, 0, sizeof h);
    memset(&d, 0, sizeof d);
    cv_put(&h, "{", 1);
    for (i = from; i < to + n_extra; i++) {
        const cv_tensor *t = i < to ? &ts->t[i] : &extra[i - to];
        size_t begin = d.n, k;
        int q;
        for (k = 0; k < (size_t)t->numel; k++) {
            uint32_t u;
            memcpy(&u, t->data + 4 * k, 4);
            if (bf16) { unsigned char b[2]; b[0] = (unsigned char)(u >> 16); b[1] = (unsigned char)(u >> 24); cv_put(&d, b, 2); }
            else cv_u32(&d, u);
        }
        snprintf(tmp, sizeof tmp, "%s\"%s%s\":{\"dtype\":\"%s\",\"shape\":[", first ? "" : ",", prefix, t->name, bf16 ? "BF16" : "F32");
        cv_put(&h, tmp, strlen(tmp));
        for (q = 0; q < t->ndim; q++) { snprintf(tmp, sizeof tmp, "%s%lu", q ? "," : "", (unsigned long)t->shape[q]); cv_put(&h, tmp, strlen(tmp)); }
        snprintf(tmp, sizeof tmp, "],\"data_offsets\":[%lu,%lu]}", (unsigned long)begin, (unsigned long)d.n);
        cv_put(&h, tmp, strlen(tmp));
        first = 0;
    }
    cv_put(&h, "}", 1);
    while (h.n % 8) cv_put(&h, " ", 1);
    f = fopen(path, "wb");
    if (!f) { cv_buf_free(&h); cv_buf_free(&d); return 0; }
    {
        cv_buf len8;
        memset(&len8, 0, sizeof len8);
        cv_u64(&len8, h.n);
        fwrite(len8.d, 1, 8, f);
        cv_buf_free(&len8);
    }
    fwrite(h.d, 1, h.n, f);
    fwrite(d.d, 1, d.n, f);
    fclose(f);
    cv_buf_free(&h);
    cv_buf_free(&d);
    return 1;
}
/* Writes a pytorch_model.bin-style zip (cv_zip_build) of tensors [from, to) of ts as F32, names
   prefixed, each its own storage, and an I64 embeddings.position_ids buffer (as older checkpoints). */
static void pk_str(cv_buf *b, const char *s) { cv_put(b, "X", 1); cv_u32(b, (uint32_t)strlen(s)); cv_put(b, s, strlen(s)); }
static void pk_int(cv_buf *b, uint64_t v) { cv_put(b, "J", 1); cv_u32(b, (uint32_t)v); }
static void pk_raw(cv_buf *b, const char *s) { cv_put(b, s, strlen(s)); }
static int write_bin(const char *path, const cv_tensors *ts, int from, int to, const char *prefix) {
    cv_buf pk, z;
    const char **names;
    const unsigned char **data;
    size_t *sizes;
    char (*keys)[32];
    int64_t pos[8];
    int i, q, n = to - from + 1;
    FILE *f;
    memset(&pk, 0, sizeof pk);
    memset(&z, 0, sizeof z);
    names = (const char **)calloc((size_t)n + 1, sizeof *names);
    data = (const unsigned char **)calloc((size_t)n + 1, sizeof *data);
    sizes = (size_t *)calloc((size_t)n + 1, sizeof *sizes);
    keys = (char (*)[32])calloc((size_t)n + 1, sizeof *keys);
    for (i = 0; i < 8; i++) pos[i] = i;
    pk_raw(&pk, "\x80\x02}(");
    for (i = 0; i < n; i++) {
        const cv_tensor *t = i < n - 1 ? &ts->t[from + i] : NULL;
        const int nd = t ? t->ndim : 1;
        uint64_t stride = 1, st[4];
        char nm[256];
        snprintf(nm, sizeof nm, "%s%s", prefix, t ? t->name : "embeddings.position_ids");
        snprintf(keys[i + 1], sizeof keys[i + 1], "archive/data/%d", i);
        pk_str(&pk, nm);
        pk_raw(&pk, "ctorch._utils\n_rebuild_tensor_v2\n((");
        pk_str(&pk, "storage");
        pk_raw(&pk, t ? "ctorch\nFloatStorage\n" : "ctorch\nLongStorage\n");
        snprintf(nm, sizeof nm, "%d", i);
        pk_str(&pk, nm);
        pk_str(&pk, "cpu");
        pk_int(&pk, t ? t->numel : 8);
        pk_raw(&pk, "tQ");
        pk_int(&pk, 0);
        pk_raw(&pk, "(");
        for (q = 0; q < nd; q++) pk_int(&pk, t ? t->shape[q] : 8);
        pk_raw(&pk, "t(");
        for (q = nd - 1; q >= 0; q--) { st[q] = stride; stride *= t ? t->shape[q] : 8; }
        for (q = 0; q < nd; q++) pk_int(&pk, st[q]);
        pk_raw(&pk, "t\x89" "ccollections\nOrderedDict\n)Rt" "R");
        names[i + 1] = keys[i + 1];
        data[i + 1] = t ? t->data : (const unsigned char *)pos;
        sizes[i + 1] = t ? t->nbytes : sizeof pos;
    }
    pk_raw(&pk, "u.");
    names[0] = "archive/data.pkl";
    data[0] = pk.d;
    sizes[0] = pk.n;
    cv_zip_build(&z, names, data, sizes, n + 1, 0);
    f = fopen(path, "wb");
    if (f) { fwrite(z.d, 1, z.n, f); fclose(f); }
    cv_buf_free(&pk);
    cv_buf_free(&z);
    free(names); free(data); free(sizes); free(keys);
    return f != NULL;
}
static int write_text(const char *dir, const char *name, const char *text, size_t len) {
    char p[1200];
    FILE *f;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    f = fopen(p, "wb");
    if (!f) return 0;
    fwrite(text, 1, len, f);
    fclose(f);
    return 1;
}
static int copy_file(const char *from_dir, const char *to_dir, const char *name) {
    char p[1200];
    size_t len;
    char *d;
    int ok;
    snprintf(p, sizeof p, "%s/%s", from_dir, name);
    d = mtl_t_read(p, &len);
    if (!d) return 0;
    ok = write_text(to_dir, name, d, len);
    free(d);
    return ok;
}

/* Embeddings of a few id inputs (no normalisation, mean pooling). */
static int embed_ids(const mtl_model *m, float *out) {
    static const int32_t a[5] = {101, 7592, 2088, 999, 102}, b[3] = {101, 1037, 102}, ty[5] = {0, 0, 1, 1, 1};
    mtl_seq s[2];
    mtl_ctx ctx;
    mtl_forward_out o;
    mtl_embed_options eo;
    mtl_error err;
    mtl_result r;
    s[0].ids = a; s[0].type_ids = ty; s[0].n = 5;
    s[1].ids = b; s[1].type_ids = NULL; s[1].n = 3;
    memset(&eo, 0, sizeof eo);
    eo.pooling = MTL_POOL_MEAN;
    eo.normalize = -1;
    memset(&o, 0, sizeof o);
    o.embeddings = out;
    mtl_ctx_init(&ctx, m, NULL);
    r = mtl_forward(&ctx, s, 2, &eo, &o, &err);
    mtl_ctx_free(&ctx);
    return r == MTL_OK;
}

static mtl_model *load_dir(const char *dir, const char *weights, unsigned char **blob, mtl_error *err) {
    cv_result res;
    size_t len = 0;
    mtl_model *m = NULL;
    *blob = NULL;
    if (cv_convert_dir(dir, weights, 0, &res, err)) return NULL;
    *blob = cv_result_blob(&res, &len);
    cv_result_free(&res);
    if (*blob && mtl_model_from_memory(*blob, len, &m, err)) { free(*blob); *blob = NULL; }
    return m;
}

static void test_variants(void) {
    char st[1200], dir[1024], p[1200];
    char *stbuf;
    size_t stlen;
    cv_tensors ts;
    mtl_error err;
    mtl_model *ref, *m;
    unsigned char *rb, *mb;
    float e_ref[2 * 64], e[2 * 64];
    int H, half;
    cv_tensor cls[2];
    float cls_w[3 * 64], cls_b[3];
    static const char *const tok_files[4] = {"vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"};
    int k;
    snprintf(st, sizeof st, "%s/model.safetensors", g_model_dir);
    stbuf = mtl_t_read(st, &stlen);
    if (!stbuf) SKIP("tiny-random-bert missing (set MTL_SHARED)");
    memset(&ts, 0, sizeof ts);
    CHECK(cv_parse_safetensors((const unsigned char *)stbuf, stlen, "model.safetensors", &ts, &err) == MTL_OK, "%s", err.msg);
    ref = load_dir(g_model_dir, NULL, &rb, &err);
    CHECK(ref != NULL, "reference: %s", err.msg);
    if (!ref) { free(stbuf); cv_tensors_free(&ts); return; }
    H = mtl_model_get_info(ref)->hidden_size;
    if (H > 64) { mtl_model_free(ref); free(rb); free(stbuf); cv_tensors_free(&ts); SKIP("model too large"); }
    CHECK(embed_ids(ref, e_ref), "reference forward");

    {   /* a private folder: other test runs may share build/ */
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/mtl_test_convert_%ld", tmp && *tmp ? tmp : "/tmp", (long)getpid());
        mkdir(dir, 0700);
    }
    for (k = 0; k < 4; k++) copy_file(g_model_dir, dir, tok_files[k]);

    /* 1. sharded, "bert." prefix, sequence classification head with id2label */
    {
        const char *cfg = "{\"architectures\":[\"BertForSequenceClassification\"],\"model_type\":\"bert\",\"vocab_size\":30522,"
                          "\"hidden_size\":32,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"intermediate_size\":64,"
                          "\"max_position_embeddings\":512,\"type_vocab_size\":2,\"layer_norm_eps\":1e-12,\"hidden_act\":\"gelu\","
                          "\"id2label\":{\"0\":\"negative\",\"1\":\"neutral\",\"2\":\"positive\"}}";
        const char *index = "{\"metadata\":{},\"weight_map\":{\"x\":\"model-00001-of-00002.safetensors\",\"y\":\"model-00002-of-00002.safetensors\"}}";
        size_t ll;
        const char *lb;
        for (k = 0; k < 3 * H; k++) cls_w[k] = 0.01f * (float)k;
        for (k = 0; k < 3; k++) cls_b[k] = (float)k;
        memset(cls, 0, sizeof cls);
        cls[0].name = (char *)"classifier.weight"; cls[0].ndim = 2; cls[0].shape[0] = 3; cls[0].shape[1] = (uint64_t)H; cls[0].numel = 3 * (uint64_t)H; cls[0].data = (const unsigned char *)cls_w;
        cls[1].name = (char *)"classifier.bias"; cls[1].ndim = 1; cls[1].shape[0] = 3; cls[1].numel = 3; cls[1].data = (const unsigned char *)cls_b;
        half = ts.n / 2;
        write_text(dir, "config.json", cfg, strlen(cfg));
        write_text(dir, "model.safetensors.index.json", index, strlen(index));
        snprintf(p, sizeof p, "%s/model-00001-of-00002.safetensors", dir);
        CHECK(write_st(p, &ts, 0, half, "bert.", 0, NULL, 0), "write shard 1");
        snprintf(p, sizeof p, "%s/model-00002-of-00002.safetensors", dir);
        CHECK(write_st(p, &ts, half, ts.n, "bert.", 0, cls, 2), "write shard 2");
        m = load_dir(dir, NULL, &mb, &err);
        CHECK(m != NULL, "sharded: %s", err.msg);
        if (m) {
            const mtl_model_info *info = mtl_model_get_info(m);
            CHECK(embed_ids(m, e) && memcmp(e, e_ref, 2 * (size_t)H * sizeof(float)) == 0, "sharded + prefix: different result");
            CHECK(info->head == MTL_HEAD_SEQUENCE && info->num_labels == 3, "head %d labels %d", (int)info->head, info->num_labels);
            lb = mtl_model_label(m, 2, &ll);
            CHECK(lb && ll == 8 && !memcmp(lb, "positive", 8), "label 2");
            CHECK(info->pooling == MTL_POOL_CLS && !info->normalize, "no sentence-transformers files: cls, no normalize");
            {   /* the classifier is the model's task head: Linear on the pooler output, labels = id2label */
                const mtl_head_info *hi = mtl_model_head(m, MTL_HEAD_SEQUENCE);
                CHECK(hi && hi->num_labels == 3 && hi->hidden == 0 && hi->pooling == MTL_POOL_POOLER && hi->w1 && hi->b1 && !hi->w2 &&
                      hi->w1[5] == cls_w[5] && hi->b1[2] == 2.0f && hi->sigmoid, "the classifier as mtl_model_head");
                lb = mtl_model_head_label(m, MTL_HEAD_SEQUENCE, 1, &ll);
                CHECK(lb && ll == 7 && !memcmp(lb, "neutral", 7) && !mtl_model_head_label(m, MTL_HEAD_SEQUENCE, 3, &ll), "head label 1");
                CHECK(mtl_model_head(m, MTL_HEAD_TOKEN) == NULL, "no token head");
            }
            mtl_model_free(m);
            free(mb);
        }
        /* a missing shard */
        remove(p);
        CHECK(load_dir(dir, NULL, &mb, &err) == NULL && strstr(err.msg, "model-00002-of-00002.safetensors") &&
              strstr(err.msg, "No such file or directory"), "missing shard (named, with the OS reason): %s", err.msg);
        snprintf(p, sizeof p, "%s/model-00001-of-00002.safetensors", dir);
        remove(p);
        snprintf(p, sizeof p, "%s/model.safetensors.index.json", dir);
        remove(p);
    }
    /* 1b. pytorch_model.bin shards (pytorch_model.bin.index.json): the same GGUF bytes as model.safetensors */
    {
        const char *cfg = "{\"architectures\":[\"BertModel\"],\"model_type\":\"bert\",\"vocab_size\":30522,"
                          "\"hidden_size\":32,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"intermediate_size\":64,"
                          "\"max_position_embeddings\":512,\"type_vocab_size\":2,\"layer_norm_eps\":1e-12,\"hidden_act\":\"gelu\"}";
        const char *index = "{\"metadata\":{},\"weight_map\":{\"x\":\"pytorch_model-00001-of-00002.bin\",\"y\":\"pytorch_model-00002-of-00002.bin\"}}";
        cv_result a, b;
        half = ts.n / 2;
        write_text(dir, "config.json", cfg, strlen(cfg));
        snprintf(p, sizeof p, "%s/model.safetensors", dir);
        CHECK(write_st(p, &ts, 0, ts.n, "", 0, NULL, 0), "write safetensors");
        CHECK(cv_convert_dir(dir, NULL, 0, &a, &err) == MTL_OK, "safetensors: %s", err.msg);
        remove(p);
        write_text(dir, "pytorch_model.bin.index.json", index, strlen(index));
        snprintf(p, sizeof p, "%s/pytorch_model-00001-of-00002.bin", dir);
        CHECK(write_bin(p, &ts, 0, half, "bert."), "write bin shard 1");
        snprintf(p, sizeof p, "%s/pytorch_model-00002-of-00002.bin", dir);
        CHECK(write_bin(p, &ts, half, ts.n, ""), "write bin shard 2");
        CHECK(cv_convert_dir(dir, NULL, 0, &b, &err) == MTL_OK, "bin shards: %s", err.msg);
        CHECK(a.meta.n == b.meta.n && a.data.n == b.data.n && !memcmp(a.meta.d, b.meta.d, a.meta.n) && !memcmp(a.data.d, b.data.d, a.data.n),
              "bin shards: not the bytes of model.safetensors' conversion");
        CHECK(b.n_tensors == ts.n + 2, "bin shards: %d tensors (with 2 position_ids buffers)", b.n_tensors);
        cv_result_free(&a);
        cv_result_free(&b);
        /* --weights FILE: a .bin too (half the tensors: refused as incomplete, by tensor name) */
        CHECK(cv_convert_dir(dir, "pytorch_model-00002-of-00002.bin", 0, &b, &err) == MTL_ERR_FORMAT && strstr(err.msg, "is missing"), "--weights shard 2: %s", err.msg);
        remove(p);
        snprintf(p, sizeof p, "%s/pytorch_model-00001-of-00002.bin", dir);
        remove(p);
        snprintf(p, sizeof p, "%s/pytorch_model.bin.index.json", dir);
        remove(p);
    }
    /* 2. BF16 weights (BertModel): equal to converting the bf16-truncated values; close to f32 */
    {
        const char *cfg = "{\"architectures\":[\"BertModel\"],\"model_type\":\"bert\",\"vocab_size\":30522,"
                          "\"hidden_size\":32,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"intermediate_size\":64,"
                          "\"max_position_embeddings\":512,\"type_vocab_size\":2}";
        double mx = 0;
        write_text(dir, "config.json", cfg, strlen(cfg));
        snprintf(p, sizeof p, "%s/model.safetensors", dir);
        CHECK(write_st(p, &ts, 0, ts.n, "", 1, NULL, 0), "write bf16");
        m = load_dir(dir, NULL, &mb, &err);
        CHECK(m != NULL, "bf16: %s", err.msg);
        if (m) {
            CHECK(embed_ids(m, e), "bf16 forward");
            for (k = 0; k < 2 * H; k++) mx = fmax(mx, fabs((double)e[k] - e_ref[k]));
            printf("  bf16 weights vs f32: embeddings max|d| = %.3g\n", mx);
            CHECK(mx > 0 && mx < 0.2, "bf16 result %g", mx);
            mtl_model_free(m);
            free(mb);
        }
        remove(p);
    }
    /* 3. refusals */
    CHECK(load_dir(dir, NULL, &mb, &err) == NULL && strstr(err.msg, "no model.safetensors") && strstr(err.msg, "pytorch_model.bin"), "no weights: %s", err.msg);
    write_text(dir, "pytorch_model.bin", "x", 1);
    CHECK(load_dir(dir, NULL, &mb, &err) == NULL && strstr(err.msg, "pytorch_model.bin"), "a bad pytorch_model.bin: %s", err.msg);
    snprintf(p, sizeof p, "%s/pytorch_model.bin", dir);
    remove(p);
    {
        const char *cfg = "{\"architectures\":[\"RobertaForCausalLM\"],\"model_type\":\"roberta\",\"is_decoder\":true}";
        write_text(dir, "config.json", cfg, strlen(cfg));
        CHECK(load_dir(dir, NULL, &mb, &err) == NULL && err.code == MTL_ERR_UNSUPPORTED && strstr(err.msg, "RobertaForCausalLM is a decoder"), "roberta: %s", err.msg);
    }
    {   /* config.json refusals (cv_parse_config): DistilBERT's own keys; a cross-encoder's activation */
        static const char *const bad[4][2] = {
            {"{\"model_type\":\"distilbert\",\"architectures\":[\"DistilBertModel\"],\"vocab_size\":100,\"dim\":16,\"n_layers\":2,\"n_heads\":2,"
             "\"hidden_dim\":32,\"max_position_embeddings\":64,\"activation\":\"relu\"}", "activation other than gelu"},
            {"{\"model_type\":\"distilbert\",\"vocab_size\":100,\"dim\":16,\"n_layers\":2,\"n_heads\":2,\"max_position_embeddings\":64}", "hidden_dim is missing"},
            {"{\"model_type\":\"distilbert\",\"architectures\":[\"DistilBertForQuestionAnswering\"]}", "architecture DistilBertForQuestionAnswering"},
            {"{\"model_type\":\"bert\",\"architectures\":[\"BertForSequenceClassification\"],\"vocab_size\":100,\"hidden_size\":16,\"num_hidden_layers\":2,"
             "\"num_attention_heads\":2,\"intermediate_size\":32,\"max_position_embeddings\":64,\"type_vocab_size\":2,"
             "\"sentence_transformers\":{\"activation_fn\":\"torch.nn.modules.activation.Tanh\"}}", "activation_fn torch.nn.modules.activation.Tanh"}};
        cv_config c;
        for (k = 0; k < 4; k++)
            CHECK(cv_parse_config(bad[k][0], strlen(bad[k][0]), &c, &err) != MTL_OK && strstr(err.msg, bad[k][1]), "config %d: %s", k, err.msg);
    }
    {
        static const char *const left[5] = {"config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"};
        for (k = 0; k < 5; k++) { snprintf(p, sizeof p, "%s/%s", dir, left[k]); remove(p); }
        rmdir(dir);
    }
    mtl_model_free(ref);
    free(rb);
    free(stbuf);
    cv_tensors_free(&ts);
}

int main(void) {
    (void)mtl_t_exists;
    if (getenv("MTL_GOLDEN_MODEL") && *getenv("MTL_GOLDEN_MODEL")) snprintf(g_model_dir, sizeof g_model_dir, "%s", getenv("MTL_GOLDEN_MODEL"));
    else mtl_t_path(g_model_dir, sizeof g_model_dir, "models/tiny-random-bert");
    RUN(test_variants);
    TEST_MAIN_END();
}
