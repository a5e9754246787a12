import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario_gen import *
T = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Cinnabar.Tests", "Integration", "")
gen_file(T + "BitTests.cs", "BitTests", "SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO and LCS.", [
("SetBitAndGetBit", "SETBIT growth, old-bit replies and offset/bit errors.", """
setbit k 7 1
get k
setbit k 7 0
setbit k 7 0
setbit k 100 1
strlen k
getbit k 100
getbit k 99
getbit k 100000
getbit nok 1
setbit k -1 1
setbit k 4294967296 1
setbit k 4294967295 2
setbit k 1 2
setbit k 1 -1
setbit k abc 1
setbit k 1 a
getbit k -1
getbit k 4294967296
getbit k abc
getbit nok abc
set t a ex 100
setbit t 0 1
ttl t
get t
lpush l a
getbit l 1
setbit l 1 1
"""),
("BitCountRanges", "BITCOUNT with byte and bit ranges.", """
set k foobar
bitcount k
bitcount k 0 0
bitcount k 1 1
bitcount k 1 1 byte
bitcount k 5 30 bit
bitcount k 0 -1 bit
bitcount k -1 -2
bitcount k -100 100
bitcount k 9223372036854775807 9223372036854775807 bit
bitcount k -9223372036854775808 -1 bit
set k3 abc
bitcount k3 -5 -100
bitcount k3 -30 -100 bit
bitcount k 1
bitcount k 1 1 foo
bitcount k a b
bitcount k 1 1 bit extra
bitcount nok
bitcount nok 1
bitcount nok a b
set e ""
bitcount e
bitcount e 0 -1
lpush l a
bitcount l
"""),
("BitPosSearches", "BITPOS in byte and bit ranges, and the zero-padding rule without an end.", """
set k foobar
bitpos k 1
bitpos k 0
bitpos k 1 2
bitpos k 1 2 -1
bitpos k 1 2 -1 bit
bitpos k 1 7 15 bit
set z "\\xff\\xff"
bitpos z 0
bitpos z 0 0
bitpos z 0 0 -1
bitpos z 0 0 -1 bit
bitpos z 0 3 bit
bitpos z 1 2
bitpos z 0 5
set k3 abc
bitpos k3 1 -5 -100
bitpos k3 1 -30 -100 bit
set e ""
bitpos e 0
bitpos e 1
bitpos nok 0
bitpos nok 1
bitpos nok 1 a
bitpos nok 1 1 2 foo
bitpos k 2
bitpos nok 2
bitpos k 1 a
bitpos k 1 1 a
bitpos k 1 1 2 foo
bitpos k 1 1 2 bit extra
lpush l a
bitpos l 1
"""),
("BitOpOperations", "BITOP results, missing sources and deleting an empty destination.", """
set a abc
set b "  "
bitop and d a b
get d
bitop or d a b
get d
bitop xor d a b
get d
bitop not d a
get d
bitop xor d a nokey
get d
set t x ex 100
bitop or t a
ttl t
object encoding t
set d x
bitop and d nokey nokey2
exists d
bitop foo d a
bitop not d a b
lpush l a
bitop and d l
bitop and d a l
"""),
("BitfieldTypesAndErrors", "BITFIELD parsing: types, offsets, values, OVERFLOW names, BITFIELD_RO.", """
bitfield k
bitfield nok get u8 0
bitfield k get u8
bitfield k get i64 0
bitfield k get u64 0
bitfield k get u63 0
bitfield k get i0 0
bitfield k get u0 0
bitfield k get x8 0
bitfield k get u8 -1
bitfield k get u8 #1
bitfield k get u8 #-1
bitfield k get u8 abc
bitfield k get u8 4294967296
bitfield k get u8 4294967288
bitfield k set u8 0 abc
bitfield k set u8 0
bitfield k incrby u8 0 abc
bitfield k overflow foo
bitfield k overflow sat
bitfield k foo
bitfield k get u8 0 set
exists k
bitfield_ro k set u8 0 1
bitfield_ro k incrby u8 0 1
bitfield_ro k overflow sat
bitfield_ro k set u8 0 1 get x8 0
bitfield_ro k set u8 0 x
bitfield_ro nok get u8 0
lpush l a
bitfield l
bitfield l get u8 0
bitfield_ro l get u8 0
bitfield l set u8 0 1
"""),
("BitfieldArithmeticAndOverflow", "BITFIELD SET/INCRBY with WRAP, SAT and FAIL, signed and unsigned.", """
bitfield k set i8 0 200 get i8 0
bitfield k set i8 0 -129 get i8 0
bitfield k set u8 0 -1 get u8 0
bitfield k overflow sat set u8 0 300 get u8 0
bitfield k overflow fail set u8 0 300 get u8 0
bitfield k overflow fail set i8 0 -129 get u8 0
bitfield k overflow sat set i8 0 -129 get i8 0
bitfield k incrby i8 0 1000 overflow sat incrby i8 0 1000 overflow fail incrby i8 0 100
bitfield k set u8 #1 255 get u8 8 get u16 0
bitfield k set i64 0 -1 get i64 0 get u63 1
bitfield k incrby i64 0 9223372036854775807 overflow sat incrby i64 0 9223372036854775807
bitfield k overflow sat set i3 100 -9223372036854775808 get i3 100
bitfield k overflow wrap set i3 100 -9223372036854775808 get i3 100
bitfield k overflow sat set u5 20 -1 get u5 20
bitfield k overflow sat incrby u5 20 -100 incrby u5 20 100 incrby u5 20 -9223372036854775808
bitfield k incrby u2 200 5 incrby i5 300 17
strlen k
bitfield nonex overflow fail incrby u8 0 300
exists nonex
get nonex
"""),
("LcsVariants", "LCS string, LEN, IDX with MINMATCHLEN and WITHMATCHLEN, and errors.", """
mset key1 ohmytext key2 mynewtext
lcs key1 key2
lcs key1 key2 len
lcs key1 key2 idx
lcs key1 key2 idx minmatchlen 4
lcs key1 key2 idx minmatchlen 4 withmatchlen
lcs key1 key2 idx withmatchlen
lcs key1 key2 minmatchlen -5 idx
lcs key1 key2 len withmatchlen
lcs key1 key2 withmatchlen
lcs key1 key2 len idx
lcs key1 key2 foo
lcs key1 key2 minmatchlen
lcs key1 key2 minmatchlen x
lcs key1 nokey
lcs key1 nokey idx
lcs nokey nokey2 len
mset a abcdabcdabcd b bdcabdcabd
lcs a b
lcs a b idx withmatchlen
lpush l a
lcs key1 l
lcs l key1 foo
hello 3
lcs key1 key2 idx withmatchlen
"""),
])
