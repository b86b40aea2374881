/* The model blob as read-only data, 32-byte aligned: fw_model .. fw_model_end.
   gcc -c -DFW_MODEL_FILE='"path/to/model.gguf"' [-DFW_MODEL_SECTION=.fw_xip] model.S (the same file
   for the host reference build). tests/cortex_m/mps2_an386.ld puts .rodata.fw_model (the default)
   into FLASH, .fw_xip into the external memory (a model larger than FLASH). */
#ifndef FW_MODEL_SECTION
#define FW_MODEL_SECTION .rodata.fw_model
#endif
    .section FW_MODEL_SECTION, "a"
    .balign 32
    .global fw_model
fw_model:
    .incbin FW_MODEL_FILE
    .global fw_model_end
fw_model_end:
#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack, "", %progbits
#endif
