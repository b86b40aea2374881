/* Size limits that differ between 64- and 32-bit targets (make test-portability runs this on i386 and
   ARM too): integers past 2^32 in JSON headers, arenas larger than the address space (an error or
   (size_t)-1, never a wrapped small size), the safetensors loader's 64-bit offsets. */
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"
#include "mtl_test.h"

static void test_json_i64(void) {
    static const char js[] = "[1099511627776, 1125899906842624, 4294967297, -3, 1.5, 1125899906842625]";
    mtl__json j;
    int64_t v = 0;
    long l = 0;
    int c;
    CHECK(mtl__json_parse(&j, js, sizeof js - 1) == 0, "parse");
    c = j.nodes[0].child;
    CHECK(mtl__json_i64(&j, c, 0, (int64_t)1 << 40, &v) && v == (int64_t)1 << 40, "2^40");
    c = j.nodes[c].next;
    CHECK(mtl__json_i64(&j, c, 0, (int64_t)1 << 50, &v) && v == (int64_t)1 << 50, "2^50");
    c = j.nodes[c].next;
    CHECK(mtl__json_i64(&j, c, 0, (int64_t)1 << 40, &v) && v == 4294967297LL, "2^32 + 1");
    CHECK(!mtl__json_int(&j, c, 0, 0x7FFFFFFFL, &l), "2^32 + 1 is out of a long range");
    c = j.nodes[c].next;
    CHECK(!mtl__json_i64(&j, c, 0, 10, &v) && mtl__json_int(&j, c, -5, 5, &l) && l == -3, "-3");
    c = j.nodes[c].next;
    CHECK(!mtl__json_i64(&j, c, 0, 10, &v), "1.5 is not an integer");
    c = j.nodes[c].next;
    CHECK(!mtl__json_i64(&j, c, 0, (int64_t)1 << 50, &v), "2^50 + 1 is past the bound");
    mtl__json_free(&j);
}

/* A safetensors header with data_offsets past 2^32 (a tensor that is not in the buffer) is refused;
   on 32-bit it must not be truncated into a plausible offset. */
static void test_safetensors_offsets(void) {
    mtl_trainer_config c;
    mtl_trainer *tr = NULL;
    mtl_error err;
    char hdr[512], buf[1024];
    size_t hl, n, k;
    mtl_trainer_defaults(&c);
    c.bb.vocab_size = 8; c.bb.hidden_size = 4; c.bb.n_layers = 1; c.bb.n_heads = 1; c.bb.intermediate_size = 4;
    c.bb.max_position = 8; c.bb.type_vocab_size = 2; c.bb.layer_norm_eps = 1e-12f;
    c.max_batch = 1; c.max_len = 4;
    if (mtl_trainer_create(&tr, &c, &err)) { CHECK(0, "create: %s", err.msg); return; }
    /* position 2^32 + 0 .. 2^32 + 128: truncated to 32 bits it would be 0 .. 128, inside the buffer */
    hl = (size_t)snprintf(hdr, sizeof hdr,
                          "{\"embeddings.word_embeddings.weight\":{\"dtype\":\"F32\",\"shape\":[8,4],\"data_offsets\":[4294967296,4294967424]}}");
    n = 8 + hl + 128;
    memset(buf, 0, sizeof buf);
    for (k = 0; k < 8; k++) buf[k] = (char)(((uint64_t)hl >> (8 * k)) & 0xFF);
    memcpy(buf + 8, hdr, hl);
    CHECK(mtl_trainer_load_safetensors(tr, buf, n, NULL, &err) == MTL_ERR_FORMAT && strstr(err.msg, "data_offsets"), "offsets past 2^32 must be refused: %s", err.msg);
    /* the same tensor at 0 .. 128 loads */
    hl = (size_t)snprintf(hdr, sizeof hdr, "{\"embeddings.word_embeddings.weight\":{\"dtype\":\"F32\",\"shape\":[8,4],\"data_offsets\":[0,128]}}");
    n = 8 + hl + 128;
    for (k = 0; k < 8; k++) buf[k] = (char)(((uint64_t)hl >> (8 * k)) & 0xFF);
    memcpy(buf + 8, hdr, hl);
    CHECK(mtl_trainer_load_safetensors(tr, buf, n, NULL, &err) == MTL_OK, "offsets 0..128: %s", err.msg);
    mtl_trainer_free(tr);
}

/* Arenas: a shape whose arena does not fit the address space is refused (32-bit), not wrapped. */
static void test_arena_limits(void) {
    mtl_backbone_config cfg;
    mtl_backbone_state st;
    mtl_error err;
    size_t a;
    const int big = 1 << 20;   /* 2^20 x 512 tokens x 256 hidden x 4 bytes = 2^39 bytes of one activation */
    memset(&cfg, 0, sizeof cfg);
    cfg.vocab_size = 100; cfg.hidden_size = 256; cfg.n_layers = 2; cfg.n_heads = 4; cfg.intermediate_size = 1024;
    cfg.max_position = 512; cfg.type_vocab_size = 2; cfg.layer_norm_eps = 1e-12f;
    a = mtl_backbone_arena_bytes(&cfg, big, 512, 2, 1);
    if (sizeof(size_t) < 8) {
        CHECK(a == 0, "32-bit: a 2^39-byte arena must be refused (0), got %zu", a);
        CHECK(mtl_backbone_init(&st, &cfg, big, 512, 2, 1, NULL, 0, &err) == MTL_ERR_NOMEM, "32-bit: init must fail: %s", err.msg);
    } else {
        CHECK((double)a > 5.4e11, "64-bit: %zu bytes", a);
    }
    a = mtl_backbone_arena_bytes(&cfg, 4, 64, 2, 1);
    CHECK(a > 0 && a < (size_t)64 << 20, "a small shape: %zu bytes", a);
    printf("  info: sizeof(size_t) %u, sizeof(long) %u, sizeof(void *) %u\n", (unsigned)sizeof(size_t), (unsigned)sizeof(long), (unsigned)sizeof(void *));
}

int main(void) {
    (void)mtl_t_exists;
    (void)mtl_t_read;
    (void)mtl_t_path;
    RUN(test_json_i64);
    RUN(test_safetensors_offsets);
    RUN(test_arena_limits);
    TEST_MAIN_END();
}
