/* Bare-metal start-up for the Cortex-M4F of QEMU's mps2-an386 (any ARMv7E-M with an FPv4 FPU):
   vector table, reset handler (FPU on, .data copied from flash, .bss zeroed, the stack painted so that
   its high-water mark can be measured), main, exit through semihosting; semihosting output.
   Symbols from tests/cortex_m/mps2_an386.ld. */
    .syntax unified
    .cpu cortex-m4
    .fpu fpv4-sp-d16
    .thumb

    .section .isr_vector, "a", %progbits
    .align 2
    .global fw_vectors
fw_vectors:
    .word __stack_top           /* initial SP                          */
    .word fw_reset              /* reset                               */
    .word fw_fault              /* NMI                                 */
    .word fw_fault              /* HardFault                           */
    .word fw_fault              /* MemManage                           */
    .word fw_fault              /* BusFault                            */
    .word fw_fault              /* UsageFault                          */
    .word 0, 0, 0, 0            /* reserved                            */
    .word fw_fault              /* SVCall                              */
    .word fw_fault              /* DebugMonitor                        */
    .word 0                     /* reserved                            */
    .word fw_fault              /* PendSV                              */
    .word fw_fault              /* SysTick                             */
    .rept 32                    /* external interrupts (none enabled)  */
    .word fw_fault
    .endr

    .text
    .thumb_func
    .global fw_reset
    .type fw_reset, %function
fw_reset:
    ldr r0, =0xE000ED88         /* CPACR: CP10 and CP11 full access (the FPU), before any float code */
    ldr r1, [r0]
    orr r1, r1, #(0xF << 20)
    str r1, [r0]
    dsb
    isb
    ldr r0, =__data_load        /* .data: flash -> RAM */
    ldr r1, =__data_start
    ldr r2, =__data_end
1:  cmp r1, r2
    bhs 2f
    ldr r3, [r0], #4
    str r3, [r1], #4
    b 1b
2:  ldr r1, =__bss_start        /* .bss = 0 */
    ldr r2, =__bss_end
    movs r3, #0
3:  cmp r1, r2
    bhs 4f
    str r3, [r1], #4
    b 3b
4:  ldr r1, =__stack_limit      /* paint the stack below the current SP: fw_stack_used() */
    mov r2, sp
    ldr r3, =0x5AC0FFEE
5:  cmp r1, r2
    bhs 6f
    str r3, [r1], #4
    b 5b
6:  bl main
    b fw_exit                   /* r0 = main's status */
    .size fw_reset, . - fw_reset

/* void fw_exit(int status): semihosting SYS_EXIT; QEMU exits 0 for ApplicationExit, 1 otherwise */
    .thumb_func
    .global fw_exit
    .type fw_exit, %function
fw_exit:
    ldr r1, =0x20026            /* ADP_Stopped_ApplicationExit */
    cmp r0, #0
    beq 1f
    ldr r1, =0x20024            /* ADP_Stopped_InternalError   */
1:  movs r0, #0x18              /* SYS_EXIT                    */
    bkpt 0xAB
2:  b 2b
    .size fw_exit, . - fw_exit

/* void fw_sh_write0(const char *s): semihosting SYS_WRITE0 (a NUL-terminated string to the host) */
    .thumb_func
    .global fw_sh_write0
    .type fw_sh_write0, %function
fw_sh_write0:
    mov r1, r0
    movs r0, #0x04
    bkpt 0xAB
    bx lr
    .size fw_sh_write0, . - fw_sh_write0

/* any exception: say so (with the IPSR exception number's hex digit pair) and exit with failure */
    .thumb_func
    .global fw_fault
    .type fw_fault, %function
fw_fault:
    ldr r0, =__stack_top        /* a sane stack, whatever happened */
    mov sp, r0
    mrs r2, ipsr
    ldr r1, =fw_fault_msg_num
    and r3, r2, #0xF0
    lsr r3, r3, #4
    add r3, r3, #'0'
    cmp r3, #'9'
    it hi
    addhi r3, r3, #39
    strb r3, [r1]
    and r3, r2, #0x0F
    add r3, r3, #'0'
    cmp r3, #'9'
    it hi
    addhi r3, r3, #39
    strb r3, [r1, #1]
    ldr r0, =fw_fault_msg
    bl fw_sh_write0
    movs r0, #1
    b fw_exit
    .size fw_fault, . - fw_fault

    .data
fw_fault_msg:
    .ascii "fw: FAIL exception 0x"
fw_fault_msg_num:
    .ascii "??"
    .asciz " (3 HardFault, 4 MemManage, 5 BusFault, 6 UsageFault)\n"
