/* weights_convert's pytorch_model.bin reader (weights_convert/torchbin.h) on the fixtures of
   tests/data/torchbin/ (tools/gen_torchbin_fixture.py: written by torch, plus hand-written hostile
   pickles): exact values, views and shared storages, the refusals by name, every truncation and every
   flipped byte of a good file, and archives with zip64 extra fields. */
#include "../weights_convert/convert.h"
#include "mtl_test.h"

#define TB_DIR "tests/data/torchbin/"

static const cv_tensor *find(const cv_tensors *ts, const char *name) {
    int i;
    for (i = 0; i < ts->n; i++) if (!strcmp(ts->t[i].name, name)) return &ts->t[i];
    return NULL;
}

/* Element k of t as a double (exact for every dtype here). */
static double value(const cv_tensor *t, uint64_t k) {
    const unsigned char *p;
    if (t->dtype == CV_F32) { float f; memcpy(&f, t->data + 4 * k, 4); return (double)f; }
    if (t->dtype == CV_OTHER + 8) { int64_t v; memcpy(&v, t->data + 8 * k, 8); return (double)v; }
    p = t->data + 2 * k;
    return t->dtype == CV_F16 ? (double)mtl__f16_to_f32((uint16_t)(p[0] | p[1] << 8)) : (double)mtl__bf16_to_f32((uint16_t)(p[0] | p[1] << 8));
}

static void test_good(void) {
    size_t len, tl;
    char *buf = mtl_t_read(TB_DIR "good.bin", &len), *txt = mtl_t_read(TB_DIR "good.txt", &tl), *line;
    cv_tensors ts;
    mtl_error err;
    int lines = 0, values = 0;
    CHECK(buf && txt, "fixtures missing");
    if (!buf || !txt) { free(buf); free(txt); return; }
    memset(&ts, 0, sizeof ts);
    CHECK(cv_parse_weights((const unsigned char *)buf, len, "good.bin", &ts, &err) == MTL_OK, "%s", err.msg);
    for (line = strtok(txt, "\n"); line; line = strtok(NULL, "\n")) {
        char name[64], dt[8], *p = line;
        int ndim, used, q;
        uint64_t numel = 1, k;
        const cv_tensor *t;
        if (line[0] == '#') continue;
        if (sscanf(p, "%63s %7s %d%n", name, dt, &ndim, &used) != 3) { CHECK(0, "bad line %s", line); continue; }
        p += used;
        lines++;
        t = find(&ts, name);
        CHECK(t != NULL, "tensor %s missing", name);
        if (!t) continue;
        CHECK(t->dtype == (!strcmp(dt, "F32") ? CV_F32 : !strcmp(dt, "F16") ? CV_F16 : !strcmp(dt, "BF16") ? CV_BF16 : CV_OTHER + 8), "%s dtype %d", name, t->dtype);
        CHECK(t->ndim == ndim, "%s ndim %d", name, t->ndim);
        for (q = 0; q < ndim && q < 4; q++) {
            unsigned long d = strtoul(p, &p, 10);
            CHECK(t->shape[q] == d, "%s dim %d: %lu, expected %lu", name, q, (unsigned long)t->shape[q], d);
            numel *= d;
        }
        CHECK(t->numel == numel && t->nbytes == numel * (t->dtype == CV_F32 ? 4u : t->dtype == CV_OTHER + 8 ? 8u : 2u), "%s numel", name);
        for (k = 0; k < numel && k < t->numel; k++) {
            double want = strtod(p, &p);
            CHECK(value(t, k) == want, "%s[%lu] = %.17g, expected %.17g", name, (unsigned long)k, value(t, k), want);
            values++;
        }
    }
    CHECK(lines == ts.n && lines == 8, "%d lines, %d tensors", lines, ts.n);
    {   /* the view and the shared tensor read the same storage bytes */
        const cv_tensor *v = find(&ts, "view"), *s = find(&ts, "shared");
        CHECK(v && s && v->data == s->data + 4 * 4, "view at storage offset 4 of shared's storage");
    }
    printf("  good.bin: %d tensors, %d values equal to torch's\n", ts.n, values);
    cv_tensors_free(&ts);
    free(buf);
    free(txt);
}

static void test_odict(void) {
    size_t len;
    char *buf = mtl_t_read(TB_DIR "odict.bin", &len);
    cv_tensors ts;
    mtl_error err;
    const cv_tensor *a, *b;
    CHECK(buf != NULL, "odict.bin missing");
    if (!buf) return;
    memset(&ts, 0, sizeof ts);
    CHECK(cv_parse_torchbin((const unsigned char *)buf, len, "odict.bin", &ts, &err) == MTL_OK, "%s", err.msg);
    a = find(&ts, "a");
    b = find(&ts, "b");
    CHECK(ts.n == 2 && a && b && a->dtype == CV_F32 && a->numel == 2 && value(a, 1) == 1.0 && b->dtype == CV_F16 && b->numel == 3 && value(b, 2) == 0.0,
          "OrderedDict with _metadata: %d tensors", ts.n);
    cv_tensors_free(&ts);
    free(buf);
}

static void test_refusals(void) {
    static const struct { const char *file; mtl_result code; const char *msg; } cases[] = {
        {"noncontig.bin", MTL_ERR_UNSUPPORTED, "tensor t is not contiguous"},
        {"not_tensors.bin", MTL_ERR_UNSUPPORTED, "entry epoch is not a tensor"},
        {"legacy.bin", MTL_ERR_UNSUPPORTED, "before 1.6"},
        {"evil_global.bin", MTL_ERR_UNSUPPORTED, "pickle: GLOBAL os.system is not allowed"},
        {"evil_inst.bin", MTL_ERR_UNSUPPORTED, "pickle: opcode 0x69 (INST) is not allowed"},
        {"evil_memo.bin", MTL_ERR_FORMAT, "pickle: memo index 7 out of range"},
        {"evil_deflate.bin", MTL_ERR_UNSUPPORTED, "is compressed (method 8, deflate)"},
        {"bigendian.bin", MTL_ERR_UNSUPPORTED, "byteorder 'big'"},
        {"truncated.bin", MTL_ERR_FORMAT, "no zip end of central directory record"}};
    size_t q;
    for (q = 0; q < sizeof cases / sizeof cases[0]; q++) {
        char path[256];
        size_t len;
        char *buf;
        cv_tensors ts;
        mtl_error err;
        mtl_result r;
        snprintf(path, sizeof path, TB_DIR "%s", cases[q].file);
        buf = mtl_t_read(path, &len);
        CHECK(buf != NULL, "%s missing", path);
        if (!buf) continue;
        memset(&ts, 0, sizeof ts);
        err.msg[0] = 0;
        r = cv_parse_weights((const unsigned char *)buf, len, cases[q].file, &ts, &err);
        CHECK(r == cases[q].code && strstr(err.msg, cases[q].msg), "%s: %d %s", cases[q].file, (int)r, err.msg);
        printf("  %-17s %s\n", cases[q].file, err.msg);
        cv_tensors_free(&ts);
        free(buf);
    }
}

/* Every prefix and every byte flipped (CRCs checked and not): a clean result or a clean error. */
static void test_damage(void) {
    size_t len, k;
    char *buf = mtl_t_read(TB_DIR "good.bin", &len);
    unsigned char *d;
    int ok_flip = 0, crc_caught = 0, nocrc_ok = 0, pass;
    CHECK(buf != NULL, "good.bin missing");
    if (!buf) return;
    for (k = 0; k < len; k++) {   /* prefixes, in a buffer of their own size (ASan sees any over-read) */
        cv_tensors ts;
        mtl_error err;
        d = (unsigned char *)malloc(k ? k : 1);
        memcpy(d, buf, k);
        memset(&ts, 0, sizeof ts);
        CHECK(cv_parse_torchbin(d, k, "cut", &ts, &err) != MTL_OK, "a prefix of %lu bytes parsed", (unsigned long)k);
        cv_tensors_free(&ts);
        free(d);
    }
    d = (unsigned char *)malloc(len);
    for (pass = 0; pass < 2; pass++) {
        for (k = 0; k < len; k++) {
            cv_tensors ts;
            mtl_error err;
            mtl_result r;
            memcpy(d, buf, len);
            d[k] ^= 0xFF;
            memset(&ts, 0, sizeof ts);
            r = cv_parse_torchbin_ex(d, len, "flip", pass ? CV_TB_NO_CRC : 0, &ts, &err);
            if (r == MTL_OK) { if (pass) nocrc_ok++; else ok_flip++; }
            else if (!pass && strstr(err.msg, "CRC-32 mismatch")) crc_caught++;
            cv_tensors_free(&ts);
        }
    }
    printf("  %lu prefixes refused; %lu flipped bytes: %d still parse (padding, unused fields), %d caught by CRC-32; %d parse without the CRC check\n",
           (unsigned long)len, (unsigned long)len, ok_flip, crc_caught, nocrc_ok);
    CHECK(crc_caught > 0 && ok_flip < nocrc_ok, "CRC-32 catches flips");
    free(d);
    free(buf);
}

/* Archives written by cv_zip_build: plain and with zip64 extra fields; an evil storage key. */
static void test_zip64(void) {
    static const char *const names[3] = {"archive/data.pkl", "archive/data/0", "archive/byteorder"};
    /* {'w': tensor of 3 floats at storage offset 1 of a 4-float storage} */
    static const unsigned char pkl[] = "\x80\x02}q\x00X\x01\x00\x00\x00wq\x01" "ctorch._utils\n_rebuild_tensor_v2\n" "((X\x07\x00\x00\x00storage"
                                       "ctorch\nFloatStorage\nX\x01\x00\x00\x00" "0X\x03\x00\x00\x00" "cpuK\x04tQK\x01K\x03\x85K\x01\x85\x89" "ccollections\nOrderedDict\n)Rtq\x02Rs.";
    float st[4] = {1.5f, 2.5f, -3.5f, 4.5f};
    const unsigned char *data[3];
    size_t sizes[3];
    int z64;
    data[0] = pkl; sizes[0] = sizeof pkl - 1;
    data[1] = (const unsigned char *)st; sizes[1] = sizeof st;
    data[2] = (const unsigned char *)"little"; sizes[2] = 6;
    for (z64 = 0; z64 < 2; z64++) {
        cv_buf b;
        cv_tensors ts;
        mtl_error err;
        const cv_tensor *w;
        memset(&b, 0, sizeof b);
        memset(&ts, 0, sizeof ts);
        cv_zip_build(&b, names, data, sizes, 3, z64);
        CHECK(cv_parse_torchbin(b.d, b.n, "built", &ts, &err) == MTL_OK, "zip64 extra %d: %s", z64, err.msg);
        w = find(&ts, "w");
        CHECK(ts.n == 1 && w && w->numel == 3 && value(w, 0) == 2.5 && value(w, 2) == 4.5, "zip64 extra %d: values", z64);
        if (z64) {   /* 0xFFFFFFFF sizes without their zip64 extra field (a fuzz finding: the message read freed memory) */
            size_t k;
            for (k = 0; k + 4 <= b.n; k++) if (!memcmp(b.d + k, "\x01\x00\x18\x00", 4)) { b.d[k] = 9; break; }
            cv_tensors_free(&ts);
            CHECK(cv_parse_torchbin(b.d, b.n, "built", &ts, &err) == MTL_ERR_FORMAT && strstr(err.msg, "zip entry archive/data.pkl: missing zip64 sizes"), "%s", err.msg);
        }
        cv_tensors_free(&ts);
        cv_buf_free(&b);
    }
    {   /* a storage that is missing, and one of the wrong size */
        cv_buf b;
        cv_tensors ts;
        mtl_error err;
        static const char *const other[3] = {"archive/data.pkl", "archive/data/1", "archive/byteorder"};
        memset(&b, 0, sizeof b);
        memset(&ts, 0, sizeof ts);
        cv_zip_build(&b, other, data, sizes, 3, 0);
        CHECK(cv_parse_torchbin(b.d, b.n, "built", &ts, &err) == MTL_ERR_FORMAT && strstr(err.msg, "storage archive/data/0 is missing"), "%s", err.msg);
        cv_buf_free(&b);
        memset(&b, 0, sizeof b);
        sizes[1] = 12;
        cv_zip_build(&b, names, data, sizes, 3, 0);
        CHECK(cv_parse_torchbin(b.d, b.n, "built", &ts, &err) == MTL_ERR_FORMAT && strstr(err.msg, "has 12 bytes, not 16"), "%s", err.msg);
        cv_tensors_free(&ts);
        cv_buf_free(&b);
    }
}

/* cv_parse_weights tells the formats apart by their first bytes: a safetensors header of 0x580 bytes
   starts with 0x80 0x05 (a pickle's PROTO 5) and is still safetensors. */
static void test_dispatch(void) {
    static const char hdr[] = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    unsigned char buf[8 + 0x580 + 4];
    cv_tensors ts;
    mtl_error err;
    memset(buf, ' ', sizeof buf);
    memset(buf, 0, 8);
    buf[0] = 0x80; buf[1] = 0x05;
    memcpy(buf + 8, hdr, sizeof hdr - 1);
    memset(buf + 8 + 0x580, 0, 4);
    memset(&ts, 0, sizeof ts);
    CHECK(cv_parse_weights(buf, sizeof buf, "st", &ts, &err) == MTL_OK && ts.n == 1, "safetensors with a 0x580-byte header: %s", err.msg);
    cv_tensors_free(&ts);
}

static void test_crc(void) {
    static const char s[] = "123456789abcdefghijklmnopqrstuvwxyz";
    CHECK(cv__crc32((const unsigned char *)s, 9) == 0xCBF43926u, "CRC-32 check value");   /* zlib.crc32 values */
    CHECK(cv__crc32((const unsigned char *)s, 35) == 0x6649163Au && cv__crc32((const unsigned char *)s, 0) == 0, "CRC-32 of 35 and 0 bytes");
}

int main(void) {
    (void)mtl_t_exists;
    (void)mtl_t_path;
    RUN(test_good);
    RUN(test_odict);
    RUN(test_refusals);
    RUN(test_damage);
    RUN(test_zip64);
    RUN(test_dispatch);
    RUN(test_crc);
    TEST_MAIN_END();
}
