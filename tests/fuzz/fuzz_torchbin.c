/* libFuzzer target: weights_convert's pytorch_model.bin reader (weights_convert/torchbin.h).
   The first byte picks the mode:
     0 the rest is a checkpoint, CRC-32s checked   1 the same without the CRC check (mutations reach
                                                    the pickle and the storages)
     2, 3 the rest is data.pkl, put into a zip (cv_zip_build; 3: with zip64 extra fields) next to
       storages archive/data/0..3 of 4, 8, 16 and 64 bytes and a byteorder entry
   A parsed table must lie inside the buffer; every byte of it is read (ASan sees any slip).
   Seeds: tests/fuzz/seeds/fuzz_torchbin/ (tools/gen_torchbin_fixture.py). */
#include "../../weights_convert/convert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const names[6] = {"archive/data.pkl", "archive/data/0", "archive/data/1", "archive/data/2", "archive/data/3", "archive/byteorder"};
    static unsigned char st[64];
    unsigned char *buf;
    size_t n;
    cv_buf z;
    cv_tensors ts;
    mtl_error err;
    int mode, i;
    if (size < 1) return 0;
    mode = data[0] % 4;
    n = size - 1;
    buf = (unsigned char *)malloc(n ? n : 1);   /* a buffer of its own size: any over-read is seen */
    if (!buf) return 0;
    if (n) memcpy(buf, data + 1, n);
    memset(&z, 0, sizeof z);
    memset(&ts, 0, sizeof ts);
    if (mode >= 2) {
        const unsigned char *d[6];
        size_t sz[6];
        for (i = 0; i < 64; i++) st[i] = (unsigned char)(i * 37 + 11);
        d[0] = buf; sz[0] = n;
        d[1] = st; sz[1] = 4;
        d[2] = st; sz[2] = 8;
        d[3] = st; sz[3] = 16;
        d[4] = st; sz[4] = 64;
        d[5] = (const unsigned char *)"little"; sz[5] = 6;
        cv_zip_build(&z, names, d, sz, 6, mode == 3);
        free(buf);
        buf = (unsigned char *)malloc(z.n ? z.n : 1);
        if (!buf) { cv_buf_free(&z); return 0; }
        memcpy(buf, z.d, z.n);
        n = z.n;
        cv_buf_free(&z);
    }
    if (cv_parse_torchbin_ex(buf, n, "fuzz", mode == 1 ? CV_TB_NO_CRC : 0, &ts, &err) == MTL_OK) {
        unsigned sum = 0;
        for (i = 0; i < ts.n; i++) {
            const cv_tensor *t = &ts.t[i];
            size_t k, esz = t->dtype == CV_F32 ? 4 : t->dtype >= CV_OTHER ? (size_t)(t->dtype - CV_OTHER) : 2;
            if (t->nbytes != t->numel * esz || (t->nbytes && (t->data < buf || t->data > buf + n || t->nbytes > (size_t)(buf + n - t->data))))
                __builtin_trap();
            for (k = 0; k < t->nbytes; k++) sum += t->data[k];
            if (!t->name[0]) __builtin_trap();
        }
        if (sum == 0x7FFFFFFFu) ts.n = ts.n + 0;   /* keep the reads */
    }
    cv_tensors_free(&ts);
    free(buf);
    return 0;
}
