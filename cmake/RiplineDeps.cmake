# SPDX-License-Identifier: AGPL-3.0-or-later
# Finds ripline's Debian-packaged dependencies and wraps them as targets.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenMP REQUIRED)
find_package(hwy REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(LibXml2 REQUIRED)
find_package(TIFF REQUIRED)
find_package(PNG REQUIRED)
find_package(JPEG REQUIRED)
pkg_check_modules(LCMS2 REQUIRED IMPORTED_TARGET lcms2)

# Debian ships MuPDF as static archives only; its own dependencies are
# system libraries that must be named at link time.
find_library(MUPDF_LIB NAMES libmupdf.a mupdf REQUIRED)
find_library(MUPDF_THIRD_LIB NAMES libmupdf-third.a mupdf-third REQUIRED)
pkg_check_modules(MUPDF_DEPS REQUIRED IMPORTED_TARGET
  freetype2 harfbuzz libopenjp2 zlib)
find_library(JBIG2DEC_LIB jbig2dec REQUIRED)
find_library(GUMBO_LIB gumbo REQUIRED)
find_library(MUJS_LIB mujs REQUIRED)
add_library(mupdf::mupdf INTERFACE IMPORTED)
# Debian builds MuPDF with FZ_ENABLE_ICC=0; the headers must agree, or
# struct fz_colorspace has another layout than the library.
target_compile_definitions(mupdf::mupdf INTERFACE FZ_ENABLE_ICC=0)
target_link_libraries(mupdf::mupdf INTERFACE
  ${MUPDF_LIB} ${MUPDF_THIRD_LIB} PkgConfig::MUPDF_DEPS ${JBIG2DEC_LIB}
  ${GUMBO_LIB} ${MUJS_LIB} JPEG::JPEG Threads::Threads m)

if(RIPLINE_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
endif()
if(RIPLINE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
