#pragma once
// TICKPATH_SANITIZED is 1 under ASan or TSan: stress tests shorten their runs there (the
// sanitizers slow every atomic access by an order of magnitude; the interleavings, not the
// iteration count, are what they are for).
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define TICKPATH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define TICKPATH_SANITIZED 1
#endif
#endif
#ifndef TICKPATH_SANITIZED
#define TICKPATH_SANITIZED 0
#endif
