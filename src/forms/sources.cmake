# forms/: pure form engine (no I/O beyond reading the bytes it is given).
include(src/forms/xpath/sources.cmake)
include(src/forms/xlsform/sources.cmake)
include(src/forms/xform/sources.cmake)
