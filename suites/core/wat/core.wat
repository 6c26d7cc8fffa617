;; The `core` suite in WebAssembly text: guest ABI v1 written by hand, with the
;; integer, string, trap and raw-export cases of suite.json. Outputs and guest
;; error messages are byte for byte those of c/core.c and csharp/Core.cs.
;;
;; Memory layout (64 KiB pages):
;;   16..79      up to 8 input tokens, each (address i32, length i32)
;;   128..191    up to 8 parsed integers (i64)
;;   192..223    scratch for decimal digits
;;   1024..      constant strings: messages and case names
;;   4096..      the case table: 12-byte entries (name address, name length,
;;               index into the function table), in describe order
;;   65536..     the heap: a bump allocator. harness_alloc hands out the name
;;               and input of a call; the output is written after them. The
;;               first harness_alloc after a call rewinds the heap, so memory
;;               stays bounded however many calls a benchmark makes.
;;
;; To add a case: put its name in a data segment after the last name, append a
;; 12-byte entry (little-endian: name address, name length, function index in
;; the `elem` list) after the last one, and raise $table_end by 12.
(module
  (type $case (func (param i32 i32)))

  (memory (export "memory") 2)
  (table 22 funcref)
  (elem (i32.const 0) func $add_i32 $mul_i32 $add_i64 $mul_i64 $div_i32 $div_i64 $shift_i32 $shift_i64 $bits_i32 $str_reverse $str_upper_ascii $str_length $str_codepoints $error_divide $trap_unreachable $trap_div_by_zero $trap_int_overflow $trap_out_of_bounds $trap_stack_overflow $trap_bad_conversion $trap_memory_bomb $trap_spin)

  (global $table_base i32 (i32.const 4096))
  (global $table_end i32 (i32.const 4624))
  (global $heap_base i32 (i32.const 65536))
  (global $heap (mut i32) (i32.const 65536))
  ;; set when a call has returned: the next allocation rewinds the heap
  (global $fresh (mut i32) (i32.const 0))
  (global $out_start (mut i32) (i32.const 0))
  (global $out_end (mut i32) (i32.const 0))
  (global $parsed (mut i64) (i64.const 0))
  (global $cp (mut i32) (i32.const 0))

  ;; operands the traps read at run time, so nothing is known in advance
  (global $zero (mut i32) (i32.const 0))
  (global $one (mut i32) (i32.const 1))
  (global $minus_one (mut i32) (i32.const -1))
  (global $int_min (mut i32) (i32.const 0x80000000))
  (global $nan (mut f64) (f64.const nan))
  (global $spin (mut i64) (i64.const 0))

  (data (i32.const 1024) "WasmMatrix.Guest.UnknownCaseException: no case named ") ;; unknown: 53 bytes
  (data (i32.const 1077) "System.ArgumentException: expected ") ;; expected: 35 bytes
  (data (i32.const 1112) " integer") ;; integer: 8 bytes
  (data (i32.const 1120) "System.FormatException: invalid integer at token ") ;; bad_int: 49 bytes
  (data (i32.const 1169) "System.DivideByZeroException: Attempted to divide by zero.") ;; div0: 58 bytes
  (data (i32.const 1227) "System.OverflowException: Arithmetic operation resulted in an overflow.") ;; ovf: 71 bytes
  (data (i32.const 1298) "System.ArgumentException: invalid UTF-8 at byte ") ;; bad_utf8: 48 bytes
  (data (i32.const 1346) "shl=") ;; shl: 4 bytes
  (data (i32.const 1350) " shr=") ;; shr: 5 bytes
  (data (i32.const 1355) " shr_u=") ;; shr_u: 7 bytes
  (data (i32.const 1362) "popcnt=") ;; popcnt: 7 bytes
  (data (i32.const 1369) " clz=") ;; clz: 5 bytes
  (data (i32.const 1374) " ctz=") ;; ctz: 5 bytes
  (data (i32.const 1379) "bytes=") ;; bytes: 6 bytes
  (data (i32.const 1385) " codepoints=") ;; codepoints: 12 bytes
  (data (i32.const 1397) " utf16=") ;; utf16: 7 bytes
  (data (i32.const 1404) "0123456789ABCDEF") ;; hexdigits: 16 bytes
  (data (i32.const 1420) "memory.grow failed after ") ;; grow_failed: 25 bytes
  (data (i32.const 1445) " MiB") ;; mib: 4 bytes
  (data (i32.const 1449) "int.add_i32")
  (data (i32.const 1460) "int.add_i32.wrap")
  (data (i32.const 1476) "int.add_i32.bad_input")
  (data (i32.const 1497) "int.add_i32.arity")
  (data (i32.const 1514) "int.mul_i32.wrap")
  (data (i32.const 1530) "int.add_i64.wrap")
  (data (i32.const 1546) "int.add_i64.out_of_range")
  (data (i32.const 1570) "int.mul_i64.wrap")
  (data (i32.const 1586) "int.mul_i64.neg")
  (data (i32.const 1601) "int.div_i32")
  (data (i32.const 1612) "int.div_i32.zero")
  (data (i32.const 1628) "int.div_i32.overflow")
  (data (i32.const 1648) "int.div_i64")
  (data (i32.const 1659) "int.div_i64.zero")
  (data (i32.const 1675) "int.div_i64.overflow")
  (data (i32.const 1695) "int.shift_i32")
  (data (i32.const 1708) "int.shift_i32.top")
  (data (i32.const 1725) "int.shift_i64")
  (data (i32.const 1738) "int.bits_i32")
  (data (i32.const 1750) "int.bits_i32.zero")
  (data (i32.const 1767) "str.reverse")
  (data (i32.const 1778) "str.reverse.emoji")
  (data (i32.const 1795) "str.reverse.combining")
  (data (i32.const 1816) "str.reverse.empty")
  (data (i32.const 1833) "str.reverse.invalid")
  (data (i32.const 1852) "str.reverse.surrogate")
  (data (i32.const 1873) "str.reverse.overlong")
  (data (i32.const 1893) "str.reverse.truncated")
  (data (i32.const 1914) "str.upper_ascii")
  (data (i32.const 1929) "str.upper_ascii.invalid")
  (data (i32.const 1952) "str.length")
  (data (i32.const 1962) "str.length.too_big")
  (data (i32.const 1980) "str.codepoints")
  (data (i32.const 1994) "str.codepoints.mixed")
  (data (i32.const 2014) "error.divide_by_zero")
  (data (i32.const 2034) "trap.unreachable")
  (data (i32.const 2050) "trap.div_by_zero")
  (data (i32.const 2066) "trap.int_overflow")
  (data (i32.const 2083) "trap.out_of_bounds")
  (data (i32.const 2101) "trap.stack_overflow")
  (data (i32.const 2120) "trap.bad_conversion")
  (data (i32.const 2139) "trap.memory_bomb")
  (data (i32.const 2155) "trap.infinite_loop")
  (data (i32.const 2173) "trap.out_of_fuel")

  (data (i32.const 4096) "\a9\05\00\00\0b\00\00\00\00\00\00\00") ;; int.add_i32 -> $add_i32
  (data (i32.const 4108) "\b4\05\00\00\10\00\00\00\00\00\00\00") ;; int.add_i32.wrap -> $add_i32
  (data (i32.const 4120) "\c4\05\00\00\15\00\00\00\00\00\00\00") ;; int.add_i32.bad_input -> $add_i32
  (data (i32.const 4132) "\d9\05\00\00\11\00\00\00\00\00\00\00") ;; int.add_i32.arity -> $add_i32
  (data (i32.const 4144) "\ea\05\00\00\10\00\00\00\01\00\00\00") ;; int.mul_i32.wrap -> $mul_i32
  (data (i32.const 4156) "\fa\05\00\00\10\00\00\00\02\00\00\00") ;; int.add_i64.wrap -> $add_i64
  (data (i32.const 4168) "\0a\06\00\00\18\00\00\00\02\00\00\00") ;; int.add_i64.out_of_range -> $add_i64
  (data (i32.const 4180) "\22\06\00\00\10\00\00\00\03\00\00\00") ;; int.mul_i64.wrap -> $mul_i64
  (data (i32.const 4192) "\32\06\00\00\0f\00\00\00\03\00\00\00") ;; int.mul_i64.neg -> $mul_i64
  (data (i32.const 4204) "\41\06\00\00\0b\00\00\00\04\00\00\00") ;; int.div_i32 -> $div_i32
  (data (i32.const 4216) "\4c\06\00\00\10\00\00\00\04\00\00\00") ;; int.div_i32.zero -> $div_i32
  (data (i32.const 4228) "\5c\06\00\00\14\00\00\00\04\00\00\00") ;; int.div_i32.overflow -> $div_i32
  (data (i32.const 4240) "\70\06\00\00\0b\00\00\00\05\00\00\00") ;; int.div_i64 -> $div_i64
  (data (i32.const 4252) "\7b\06\00\00\10\00\00\00\05\00\00\00") ;; int.div_i64.zero -> $div_i64
  (data (i32.const 4264) "\8b\06\00\00\14\00\00\00\05\00\00\00") ;; int.div_i64.overflow -> $div_i64
  (data (i32.const 4276) "\9f\06\00\00\0d\00\00\00\06\00\00\00") ;; int.shift_i32 -> $shift_i32
  (data (i32.const 4288) "\ac\06\00\00\11\00\00\00\06\00\00\00") ;; int.shift_i32.top -> $shift_i32
  (data (i32.const 4300) "\bd\06\00\00\0d\00\00\00\07\00\00\00") ;; int.shift_i64 -> $shift_i64
  (data (i32.const 4312) "\ca\06\00\00\0c\00\00\00\08\00\00\00") ;; int.bits_i32 -> $bits_i32
  (data (i32.const 4324) "\d6\06\00\00\11\00\00\00\08\00\00\00") ;; int.bits_i32.zero -> $bits_i32
  (data (i32.const 4336) "\e7\06\00\00\0b\00\00\00\09\00\00\00") ;; str.reverse -> $str_reverse
  (data (i32.const 4348) "\f2\06\00\00\11\00\00\00\09\00\00\00") ;; str.reverse.emoji -> $str_reverse
  (data (i32.const 4360) "\03\07\00\00\15\00\00\00\09\00\00\00") ;; str.reverse.combining -> $str_reverse
  (data (i32.const 4372) "\18\07\00\00\11\00\00\00\09\00\00\00") ;; str.reverse.empty -> $str_reverse
  (data (i32.const 4384) "\29\07\00\00\13\00\00\00\09\00\00\00") ;; str.reverse.invalid -> $str_reverse
  (data (i32.const 4396) "\3c\07\00\00\15\00\00\00\09\00\00\00") ;; str.reverse.surrogate -> $str_reverse
  (data (i32.const 4408) "\51\07\00\00\14\00\00\00\09\00\00\00") ;; str.reverse.overlong -> $str_reverse
  (data (i32.const 4420) "\65\07\00\00\15\00\00\00\09\00\00\00") ;; str.reverse.truncated -> $str_reverse
  (data (i32.const 4432) "\7a\07\00\00\0f\00\00\00\0a\00\00\00") ;; str.upper_ascii -> $str_upper_ascii
  (data (i32.const 4444) "\89\07\00\00\17\00\00\00\0a\00\00\00") ;; str.upper_ascii.invalid -> $str_upper_ascii
  (data (i32.const 4456) "\a0\07\00\00\0a\00\00\00\0b\00\00\00") ;; str.length -> $str_length
  (data (i32.const 4468) "\aa\07\00\00\12\00\00\00\0b\00\00\00") ;; str.length.too_big -> $str_length
  (data (i32.const 4480) "\bc\07\00\00\0e\00\00\00\0c\00\00\00") ;; str.codepoints -> $str_codepoints
  (data (i32.const 4492) "\ca\07\00\00\14\00\00\00\0c\00\00\00") ;; str.codepoints.mixed -> $str_codepoints
  (data (i32.const 4504) "\de\07\00\00\14\00\00\00\0d\00\00\00") ;; error.divide_by_zero -> $error_divide
  (data (i32.const 4516) "\f2\07\00\00\10\00\00\00\0e\00\00\00") ;; trap.unreachable -> $trap_unreachable
  (data (i32.const 4528) "\02\08\00\00\10\00\00\00\0f\00\00\00") ;; trap.div_by_zero -> $trap_div_by_zero
  (data (i32.const 4540) "\12\08\00\00\11\00\00\00\10\00\00\00") ;; trap.int_overflow -> $trap_int_overflow
  (data (i32.const 4552) "\23\08\00\00\12\00\00\00\11\00\00\00") ;; trap.out_of_bounds -> $trap_out_of_bounds
  (data (i32.const 4564) "\35\08\00\00\13\00\00\00\12\00\00\00") ;; trap.stack_overflow -> $trap_stack_overflow
  (data (i32.const 4576) "\48\08\00\00\13\00\00\00\13\00\00\00") ;; trap.bad_conversion -> $trap_bad_conversion
  (data (i32.const 4588) "\5b\08\00\00\10\00\00\00\14\00\00\00") ;; trap.memory_bomb -> $trap_memory_bomb
  (data (i32.const 4600) "\6b\08\00\00\12\00\00\00\15\00\00\00") ;; trap.infinite_loop -> $trap_spin
  (data (i32.const 4612) "\7d\08\00\00\10\00\00\00\15\00\00\00") ;; trap.out_of_fuel -> $trap_spin

  ;; ---------------------------------------------------------------- memory

  ;; Grows memory so that [0, end) is addressable; traps when it cannot.
  (func $ensure (param $end i32)
    (local $pages i32)
    (local.set $pages
      (i32.wrap_i64 (i64.shr_u (i64.add (i64.extend_i32_u (local.get $end)) (i64.const 65535)) (i64.const 16))))
    (if (i32.gt_u (local.get $pages) (memory.size))
      (then
        (if (i32.eq (memory.grow (i32.sub (local.get $pages) (memory.size))) (i32.const -1))
          (then unreachable)))))

  (func $alloc (param $len i32) (result i32)
    (local $ptr i32)
    (local.set $ptr (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
    (call $ensure (i32.add (local.get $ptr) (local.get $len)))
    (global.set $heap (i32.add (local.get $ptr) (local.get $len)))
    (local.get $ptr))

  (func $rewind_if_fresh
    (if (global.get $fresh)
      (then
        (global.set $heap (global.get $heap_base))
        (global.set $fresh (i32.const 0)))))

  (func (export "harness_alloc") (param $len i32) (result i32)
    (call $rewind_if_fresh)
    (call $alloc (local.get $len)))

  ;; ---------------------------------------------------------------- output

  (func $out_byte (param $b i32)
    (call $ensure (i32.add (global.get $out_end) (i32.const 1)))
    (i32.store8 (global.get $out_end) (local.get $b))
    (global.set $out_end (i32.add (global.get $out_end) (i32.const 1))))

  (func $out_bytes (param $p i32) (param $len i32)
    (call $ensure (i32.add (global.get $out_end) (local.get $len)))
    (memory.copy (global.get $out_end) (local.get $p) (local.get $len))
    (global.set $out_end (i32.add (global.get $out_end) (local.get $len))))

  (func $out_u64 (param $v i64)
    (local $i i32)
    (local.set $i (i32.const 224))
    (loop $digits
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (i32.store8 (local.get $i)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $v) (i64.const 0))))
    (call $out_bytes (local.get $i) (i32.sub (i32.const 224) (local.get $i))))

  (func $out_i64 (param $v i64)
    (if (i64.lt_s (local.get $v) (i64.const 0))
      (then
        (call $out_byte (i32.const 45))
        (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
    (call $out_u64 (local.get $v)))

  ;; Upper-case hex with at least 4 digits, like printf("%04X").
  (func $out_hex_min4 (param $v i32)
    (local $n i32)
    (local.set $n (i32.const 4))
    (if (i32.gt_u (local.get $v) (i32.const 0xffff)) (then (local.set $n (i32.const 5))))
    (if (i32.gt_u (local.get $v) (i32.const 0xfffff)) (then (local.set $n (i32.const 6))))
    (loop $digit
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (call $out_byte
        (i32.load8_u offset=1404
          (i32.and (i32.shr_u (local.get $v) (i32.shl (local.get $n) (i32.const 2))) (i32.const 15))))
      (br_if $digit (local.get $n))))

  ;; Drops the payload: the call becomes a guest error with this message.
  (func $fail (param $p i32) (param $len i32)
    (global.set $out_end (global.get $out_start))
    (call $out_byte (i32.const 1))
    (call $out_bytes (local.get $p) (local.get $len)))

  (func $packed (result i64)
    (i64.or
      (i64.shl (i64.extend_i32_u (global.get $out_start)) (i64.const 32))
      (i64.extend_i32_u (i32.sub (global.get $out_end) (global.get $out_start)))))

  ;; ---------------------------------------------------------------- input

  (func $is_space (param $c i32) (result i32)
    (i32.or
      (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))
      (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13)))))

  ;; Splits on ASCII whitespace; keeps the first 8 tokens; returns the count.
  (func $tokens (param $in i32) (param $len i32) (result i32)
    (local $i i32) (local $n i32) (local $start i32) (local $slot i32)
    (block $done
      (loop $next
        (block $skipped
          (loop $skip
            (br_if $skipped (i32.ge_u (local.get $i) (local.get $len)))
            (br_if $skipped (i32.eqz (call $is_space (i32.load8_u (i32.add (local.get $in) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $skip)))
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $start (local.get $i))
        (block $ended
          (loop $token
            (br_if $ended (i32.ge_u (local.get $i) (local.get $len)))
            (br_if $ended (call $is_space (i32.load8_u (i32.add (local.get $in) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $token)))
        (if (i32.lt_u (local.get $n) (i32.const 8))
          (then
            (local.set $slot (i32.add (i32.const 16) (i32.shl (local.get $n) (i32.const 3))))
            (i32.store (local.get $slot) (i32.add (local.get $in) (local.get $start)))
            (i32.store offset=4 (local.get $slot) (i32.sub (local.get $i) (local.get $start)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))

  ;; `-`? digit+ within i64 into $parsed; returns 1, or 0 when it is not one.
  (func $parse_i64 (param $p i32) (param $len i32) (result i32)
    (local $i i32) (local $neg i32) (local $limit i64) (local $mag i64) (local $d i32)
    (if (i32.gt_u (local.get $len) (i32.const 0))
      (then
        (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 45))
          (then
            (local.set $neg (i32.const 1))
            (local.set $i (i32.const 1))))))
    (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const 0))))
    (local.set $limit
      (select (i64.const 0x8000000000000000) (i64.const 0x7fffffffffffffff) (local.get $neg)))
    (loop $digits
      (local.set $d (i32.sub (i32.load8_u (i32.add (local.get $p) (local.get $i))) (i32.const 48)))
      (if (i32.gt_u (local.get $d) (i32.const 9)) (then (return (i32.const 0))))
      (if (i64.gt_u (local.get $mag)
            (i64.div_u (i64.sub (local.get $limit) (i64.extend_i32_u (local.get $d))) (i64.const 10)))
        (then (return (i32.const 0))))
      (local.set $mag (i64.add (i64.mul (local.get $mag) (i64.const 10)) (i64.extend_i32_u (local.get $d))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $digits (i32.lt_u (local.get $i) (local.get $len))))
    (global.set $parsed
      (select (i64.sub (i64.const 0) (local.get $mag)) (local.get $mag) (local.get $neg)))
    (i32.const 1))

  (func $bad_int (param $i i32)
    (call $fail (i32.const 1120) (i32.const 49))
    (call $out_u64 (i64.extend_i32_u (i32.add (local.get $i) (i32.const 1)))))

  ;; Exactly $n integers (int32 range when $i32) into memory at 128; returns 1,
  ;; or 0 after writing the guest error.
  (func $read_ints (param $in i32) (param $len i32) (param $n i32) (param $i32 i32) (result i32)
    (local $i i32) (local $v i64) (local $slot i32)
    (if (i32.ne (call $tokens (local.get $in) (local.get $len)) (local.get $n))
      (then
        (call $fail (i32.const 1077) (i32.const 35))
        (call $out_u64 (i64.extend_i32_u (local.get $n)))
        (call $out_bytes (i32.const 1112) (i32.const 8))
        (if (i32.ne (local.get $n) (i32.const 1)) (then (call $out_byte (i32.const 115))))
        (return (i32.const 0))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $slot (i32.add (i32.const 16) (i32.shl (local.get $i) (i32.const 3))))
        (if (i32.eqz (call $parse_i64 (i32.load (local.get $slot)) (i32.load offset=4 (local.get $slot))))
          (then
            (call $bad_int (local.get $i))
            (return (i32.const 0))))
        (local.set $v (global.get $parsed))
        (if (i32.and (local.get $i32)
              (i32.or (i64.lt_s (local.get $v) (i64.const -2147483648))
                      (i64.gt_s (local.get $v) (i64.const 2147483647))))
          (then
            (call $bad_int (local.get $i))
            (return (i32.const 0))))
        (i64.store (i32.add (i32.const 128) (i32.shl (local.get $i) (i32.const 3))) (local.get $v))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (i32.const 1))

  ;; ---------------------------------------------------------------- integers

  (func $add_i32 (type $case) (param $in i32) (param $len i32)
    (if (i32.eqz (call $read_ints (local.get $in) (local.get $len) (i32.const 2) (i32.const 1))) (then (return)))
    (call $out_i64 (i64.extend_i32_s
      (i32.add (i32.wrap_i64 (i64.load (i32.const 128))) (i32.wrap_i64 (i64.load (i32.const 136)))))))

  (func $mul_i32 (type $case) (param $in i32) (param $len i32)
    (if (i32.eqz (call $read_ints (local.get $in) (local.get $len) (i32.const 2) (i32.const 1))) (then (return)))
    (call $out_i64 (i64.extend_i32_s
      (i32.mul (i32.wrap_i64 (i64.load (i32.const 128))) (i32.wrap_i64 (i64.load (i32.const 136)))))))

  (func $add_i64 (type $case) (param $in i32) (param $len i32)
    (if (i32.eqz (call $read_ints (local.get $in) (local.get $len) (i32.const 2) (i32.const 0))) (then (return)))
    (call $out_i64 (i64.add (i64.load (i32.const 128)) (i64.load (i32.const 136)))))

  (func $mul_i64 (type $case) (param $in i32) (param $len i32)
    (if (i32.eqz (call $read_ints (local.get $in) (local.get $len) (i32.const 2) (i32.const 0))) (then (return)))
    (call $out_i64 (i64.mul (i64.load (i32.const 128)) (i64.load (i32.const 136)))))

  ;; "quotient remainder"; the same guest errors C# throws instead of trapping
  (func $div_i32 (type $case) (param $in i32) (param $len i32)
    (local $a i32) (local $b i32)
    (if (i32.eqz (call $read_ints (local.get $in) (local.get $len) (i32.const 2) (i32.const 1))) (then (return)))
    (local.set $a (i32.wrap_i64 (i64.load (i32.const 128))))
    (local.set $b (i32.wrap_i64 (i64.load (i32.const 136))))
    (if (i32.eqz (local.get $b)) (then (call $fail (i32.const 1169) (i32.const 58)) (return)))
    (if (i32.and (i32.eq (local.get $a) (i32.const 0x80000000)) (i32.eq (local.get $b) (i32.const -1)))
      (then (call $fail (i32.const 1227) (i32.const 71)) (return)))
    (call $out_i64 (i64.extend_i32_s (i32.div_s (local.get $a) (local.get $b))))
    (call $out_byte (i32.const 32))
    (call $out_i64 (i64.extend_i32_s (i32.rem_s (local.get $a) (local.get $b)))))

  (func $div_i64 (type $case) (param $in i32) (param $len i32)
    (local $a i64) (local $b i64)
    (if (i32.eqz (call $read_ints (local.get $in) (local.get $len) (i32.const 2) (i32.const 0))) (then (return)))
    (local.set $a (i64.load (i32.const 128)))
    (local.set $b (i64.load (i32.const 136)))
    (if (i64.eqz (local.get $b)) (then (call $fail (i32.const 1169) (i32.const 58)) (return)))
    (if (i32.and (i64.eq (local.get $a) (i64.const 0x8000000000000000)) (i64.eq (local.get $b) (i64.const -1)))
      (then (call $fail (i32.const 1227) (i32.const 71)) (return)))
    (call $out_i64 (i64.div_s (local.get $a) (local.get $b)))
    (call $out_byte (i32.const 32))
    (call $out_i64 (i64.rem_s (local.get $a) (local.get $b))))

  ;; wasm masks shift counts (& 31, & 63) like C# does
  (func $shift_i32 (type $case) (param $in i32) (param $len i32)
    (local $a i32) (local $s i32)
    (if (i32.eqz (call $read_ints (local.get $in) (local.get $len) (i32.const 2) (i32.const 1))) (then (return)))
    (local.set $a (i32.wrap_i64 (i64.load (i32.const 128))))
    (local.set $s (i32.wrap_i64 (i64.load (i32.const 136))))
    (call $out_bytes (i32.const 1346) (i32.const 4))
    (call $out_i64 (i64.extend_i32_s (i32.shl (local.get $a) (local.get $s))))
    (call $out_bytes (i32.const 1350) (i32.const 5))
    (call $out_i64 (i64.extend_i32_s (i32.shr_s (local.get $a) (local.get $s))))
    (call $out_bytes (i32.const 1355) (i32.const 7))
    (call $out_i64 (i64.extend_i32_u (i32.shr_u (local.get $a) (local.get $s)))))

  (func $shift_i64 (type $case) (param $in i32) (param $len i32)
    (local $a i64) (local $s i64)
    (if (i32.eqz (call $read_ints (local.get $in) (local.get $len) (i32.const 2) (i32.const 0))) (then (return)))
    (local.set $a (i64.load (i32.const 128)))
    (local.set $s (i64.load (i32.const 136)))
    (call $out_bytes (i32.const 1346) (i32.const 4))
    (call $out_i64 (i64.shl (local.get $a) (local.get $s)))
    (call $out_bytes (i32.const 1350) (i32.const 5))
    (call $out_i64 (i64.shr_s (local.get $a) (local.get $s)))
    (call $out_bytes (i32.const 1355) (i32.const 7))
    (call $out_u64 (i64.shr_u (local.get $a) (local.get $s))))

  (func $bits_i32 (type $case) (param $in i32) (param $len i32)
    (local $x i32)
    (if (i32.eqz (call $read_ints (local.get $in) (local.get $len) (i32.const 1) (i32.const 1))) (then (return)))
    (local.set $x (i32.wrap_i64 (i64.load (i32.const 128))))
    (call $out_bytes (i32.const 1362) (i32.const 7))
    (call $out_u64 (i64.extend_i32_u (i32.popcnt (local.get $x))))
    (call $out_bytes (i32.const 1369) (i32.const 5))
    (call $out_u64 (i64.extend_i32_u (i32.clz (local.get $x))))
    (call $out_bytes (i32.const 1374) (i32.const 5))
    (call $out_u64 (i64.extend_i32_u (i32.ctz (local.get $x)))))

  (func $error_divide (type $case) (param $in i32) (param $len i32)
    (local $n i32)
    (if (i32.eqz (call $read_ints (local.get $in) (local.get $len) (i32.const 1) (i32.const 1))) (then (return)))
    (local.set $n (i32.wrap_i64 (i64.load (i32.const 128))))
    (if (i32.eqz (local.get $n)) (then (call $fail (i32.const 1169) (i32.const 58)) (return)))
    (call $out_i64 (i64.extend_i32_s (i32.div_s (i32.const 100) (local.get $n)))))

  ;; ---------------------------------------------------------------- UTF-8

  ;; Length of the well-formed sequence at s[i] (Unicode table 3-7), or 0;
  ;; its code point goes to $cp.
  (func $utf8_next (param $s i32) (param $len i32) (param $i i32) (result i32)
    (local $b0 i32) (local $n i32) (local $lo i32) (local $hi i32) (local $k i32) (local $c i32) (local $b i32)
    (local.set $b0 (i32.load8_u (i32.add (local.get $s) (local.get $i))))
    (if (i32.lt_u (local.get $b0) (i32.const 0x80))
      (then
        (global.set $cp (local.get $b0))
        (return (i32.const 1))))
    (local.set $lo (i32.const 0x80))
    (local.set $hi (i32.const 0xbf))
    (if (i32.and (i32.ge_u (local.get $b0) (i32.const 0xc2)) (i32.le_u (local.get $b0) (i32.const 0xdf)))
      (then
        (local.set $n (i32.const 2))
        (local.set $c (i32.and (local.get $b0) (i32.const 0x1f))))
      (else
        (if (i32.and (i32.ge_u (local.get $b0) (i32.const 0xe0)) (i32.le_u (local.get $b0) (i32.const 0xef)))
          (then
            (local.set $n (i32.const 3))
            (local.set $c (i32.and (local.get $b0) (i32.const 0x0f)))
            (if (i32.eq (local.get $b0) (i32.const 0xe0)) (then (local.set $lo (i32.const 0xa0))))
            (if (i32.eq (local.get $b0) (i32.const 0xed)) (then (local.set $hi (i32.const 0x9f)))))
          (else
            (if (i32.and (i32.ge_u (local.get $b0) (i32.const 0xf0)) (i32.le_u (local.get $b0) (i32.const 0xf4)))
              (then
                (local.set $n (i32.const 4))
                (local.set $c (i32.and (local.get $b0) (i32.const 0x07)))
                (if (i32.eq (local.get $b0) (i32.const 0xf0)) (then (local.set $lo (i32.const 0x90))))
                (if (i32.eq (local.get $b0) (i32.const 0xf4)) (then (local.set $hi (i32.const 0x8f)))))
              (else (return (i32.const 0))))))))
    (if (i32.lt_u (i32.sub (local.get $len) (local.get $i)) (local.get $n)) (then (return (i32.const 0))))
    (local.set $k (i32.const 1))
    (loop $continuation
      (local.set $b (i32.load8_u (i32.add (i32.add (local.get $s) (local.get $i)) (local.get $k))))
      (if (i32.eq (local.get $k) (i32.const 1))
        (then
          (if (i32.or (i32.lt_u (local.get $b) (local.get $lo)) (i32.gt_u (local.get $b) (local.get $hi)))
            (then (return (i32.const 0)))))
        (else
          (if (i32.or (i32.lt_u (local.get $b) (i32.const 0x80)) (i32.gt_u (local.get $b) (i32.const 0xbf)))
            (then (return (i32.const 0))))))
      (local.set $c (i32.or (i32.shl (local.get $c) (i32.const 6)) (i32.and (local.get $b) (i32.const 0x3f))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $continuation (i32.lt_u (local.get $k) (local.get $n))))
    (global.set $cp (local.get $c))
    (local.get $n))

  ;; 1 when all of the input is UTF-8; otherwise 0 after the guest error.
  (func $utf8_check (param $in i32) (param $len i32) (result i32)
    (local $i i32) (local $n i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $n (call $utf8_next (local.get $in) (local.get $len) (local.get $i)))
        (if (i32.eqz (local.get $n))
          (then
            (call $fail (i32.const 1298) (i32.const 48))
            (call $out_u64 (i64.extend_i32_u (local.get $i)))
            (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (local.get $n)))
        (br $each)))
    (i32.const 1))

  (func $str_reverse (type $case) (param $in i32) (param $len i32)
    (local $end i32) (local $start i32)
    (if (i32.eqz (call $utf8_check (local.get $in) (local.get $len))) (then (return)))
    (local.set $end (local.get $len))
    (block $done
      (loop $sequence
        (br_if $done (i32.eqz (local.get $end)))
        ;; a sequence starts at a byte that is not 10xxxxxx
        (local.set $start (i32.sub (local.get $end) (i32.const 1)))
        (block $found
          (loop $back
            (br_if $found (i32.eqz (local.get $start)))
            (br_if $found (i32.ne (i32.and (i32.load8_u (i32.add (local.get $in) (local.get $start))) (i32.const 0xc0))
                                  (i32.const 0x80)))
            (local.set $start (i32.sub (local.get $start) (i32.const 1)))
            (br $back)))
        (call $out_bytes (i32.add (local.get $in) (local.get $start)) (i32.sub (local.get $end) (local.get $start)))
        (local.set $end (local.get $start))
        (br $sequence))))

  (func $str_upper_ascii (type $case) (param $in i32) (param $len i32)
    (local $i i32) (local $c i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $in) (local.get $i))))
        (call $out_byte
          (select (i32.sub (local.get $c) (i32.const 32)) (local.get $c)
            (i32.le_u (i32.sub (local.get $c) (i32.const 97)) (i32.const 25))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  (func $str_length (type $case) (param $in i32) (param $len i32)
    (local $i i32) (local $cps i32) (local $units i32)
    (if (i32.eqz (call $utf8_check (local.get $in) (local.get $len))) (then (return)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $i (i32.add (local.get $i) (call $utf8_next (local.get $in) (local.get $len) (local.get $i))))
        (local.set $cps (i32.add (local.get $cps) (i32.const 1)))
        (local.set $units (i32.add (local.get $units)
          (select (i32.const 2) (i32.const 1) (i32.gt_u (global.get $cp) (i32.const 0xffff)))))
        (br $each)))
    (call $out_bytes (i32.const 1379) (i32.const 6))
    (call $out_u64 (i64.extend_i32_u (local.get $len)))
    (call $out_bytes (i32.const 1385) (i32.const 12))
    (call $out_u64 (i64.extend_i32_u (local.get $cps)))
    (call $out_bytes (i32.const 1397) (i32.const 7))
    (call $out_u64 (i64.extend_i32_u (local.get $units))))

  (func $str_codepoints (type $case) (param $in i32) (param $len i32)
    (local $i i32)
    (if (i32.eqz (call $utf8_check (local.get $in) (local.get $len))) (then (return)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (if (local.get $i) (then (call $out_byte (i32.const 32))))
        (local.set $i (i32.add (local.get $i) (call $utf8_next (local.get $in) (local.get $len) (local.get $i))))
        (call $out_byte (i32.const 85))
        (call $out_byte (i32.const 43))
        (call $out_hex_min4 (global.get $cp))
        (br $each))))

  ;; ---------------------------------------------------------------- traps

  (func $trap_unreachable (type $case) (param i32 i32)
    unreachable)

  (func $trap_div_by_zero (type $case) (param i32 i32)
    (call $out_i64 (i64.extend_i32_s (i32.div_s (global.get $one) (global.get $zero)))))

  (func $trap_int_overflow (type $case) (param i32 i32)
    (call $out_i64 (i64.extend_i32_s (i32.div_s (global.get $int_min) (global.get $minus_one)))))

  (func $trap_out_of_bounds (type $case) (param i32 i32)
    (call $out_i64 (i64.load8_u (i32.const 0xfffffff0))))

  ;; not a tail call: the add runs after it returns
  (func $recurse (param $n i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))

  (func $trap_stack_overflow (type $case) (param i32 i32)
    (call $out_i64 (i64.extend_i32_s (call $recurse (i32.const 0)))))

  (func $trap_bad_conversion (type $case) (param i32 i32)
    (call $out_i64 (i64.extend_i32_s (i32.trunc_f64_s (global.get $nan)))))

  ;; grows by 1 MiB at a time, touching each new block, until the limit traps
  (func $trap_memory_bomb (type $case) (param i32 i32)
    (local $mib i32) (local $page i32)
    (block $failed
      (loop $grow
        (local.set $page (memory.grow (i32.const 16)))
        (br_if $failed (i32.eq (local.get $page) (i32.const -1)))
        (i32.store8 (i32.shl (local.get $page) (i32.const 16)) (i32.const 0xa5))
        (local.set $mib (i32.add (local.get $mib) (i32.const 1)))
        (br $grow)))
    (call $out_bytes (i32.const 1420) (i32.const 25))
    (call $out_u64 (i64.extend_i32_u (local.get $mib)))
    (call $out_bytes (i32.const 1445) (i32.const 4)))

  (func $trap_spin (type $case) (param i32 i32)
    (loop $forever
      (global.set $spin (i64.add (global.get $spin) (i64.const 1)))
      (br $forever)))

  ;; ---------------------------------------------------------------- dispatcher

  (func $equal (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $i i32)
    (block $same
      (loop $each
        (br_if $same (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i))) (i32.load8_u (i32.add (local.get $b) (local.get $i))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (i32.const 1))

  ;; The case table entry named so, or 0.
  (func $find (param $name i32) (param $nlen i32) (result i32)
    (local $e i32)
    (local.set $e (global.get $table_base))
    (block $none
      (loop $each
        (br_if $none (i32.ge_u (local.get $e) (global.get $table_end)))
        (if (i32.eq (i32.load offset=4 (local.get $e)) (local.get $nlen))
          (then
            (if (call $equal (i32.load (local.get $e)) (local.get $name) (local.get $nlen))
              (then (return (local.get $e))))))
        (local.set $e (i32.add (local.get $e) (i32.const 12)))
        (br $each)))
    (i32.const 0))

  (func (export "harness_invoke") (param $name i32) (param $nlen i32) (param $in i32) (param $len i32) (result i64)
    (local $e i32)
    (global.set $out_start (call $alloc (i32.const 0)))
    (global.set $out_end (global.get $out_start))
    (call $out_byte (i32.const 0))
    (local.set $e (call $find (local.get $name) (local.get $nlen)))
    (if (local.get $e)
      (then (call_indirect (type $case) (local.get $in) (local.get $len) (i32.load offset=8 (local.get $e))))
      (else
        (call $fail (i32.const 1024) (i32.const 53))
        (call $out_bytes (local.get $name) (local.get $nlen))))
    (global.set $fresh (i32.const 1))
    (call $packed))

  (func (export "harness_describe") (result i64)
    (local $e i32)
    (call $rewind_if_fresh)
    (global.set $out_start (call $alloc (i32.const 0)))
    (global.set $out_end (global.get $out_start))
    (call $out_byte (i32.const 91))
    (local.set $e (global.get $table_base))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $e) (global.get $table_end)))
        (if (i32.ne (local.get $e) (global.get $table_base)) (then (call $out_byte (i32.const 44))))
        (call $out_byte (i32.const 34))
        (call $out_bytes (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)))
        (call $out_byte (i32.const 34))
        (local.set $e (i32.add (local.get $e) (i32.const 12)))
        (br $each)))
    (call $out_byte (i32.const 93))
    (global.set $fresh (i32.const 1))
    (call $packed))

  ;; ---------------------------------------------------------------- raw exports

  (func (export "add_i64") (param $a i64) (param $b i64) (result i64)
    (i64.add (local.get $a) (local.get $b)))

  (func (export "mul_i32") (param $a i32) (param $b i32) (result i32)
    (i32.mul (local.get $a) (local.get $b)))

  (func (export "fdiv") (param $a f64) (param $b f64) (result f64)
    (f64.div (local.get $a) (local.get $b)))
)
