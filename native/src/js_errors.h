// Converts melguard::Error (and anything else thrown in native code) into a JS Error with a stable `code`.
#pragma once
#include <napi.h>

#include "errors.h"

namespace melguard {

inline Napi::Error ToJsError(Napi::Env env, const std::string& code, const std::string& message,
                             const std::string& path = "") {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  if (!path.empty()) error.Set("path", Napi::String::New(env, path));
  return error;
}

inline Napi::Error ToJsError(Napi::Env env, const Error& e) { return ToJsError(env, e.code(), e.what(), e.path()); }

}  // namespace melguard
