// Typed failures shared by every native module. C++ code throws melguard::Error;
// the binding layer turns it into a JS Error with a stable `code` (and `path` when known).
#pragma once
#include <stdexcept>
#include <string>

namespace melguard {

// Stable codes, mirrored in packages/dsp/src/errors.ts.
namespace codes {
inline constexpr const char* kNotFound = "ENOENT";        // file does not exist
inline constexpr const char* kAccess = "EACCES";          // cannot be opened for reading
inline constexpr const char* kUnsupported = "E_UNSUPPORTED";  // format not decodable
inline constexpr const char* kCorrupt = "E_CORRUPT";      // stream damaged / absurd header
inline constexpr const char* kEmpty = "E_EMPTY";          // zero-length audio
inline constexpr const char* kTooLarge = "E_TOO_LARGE";   // would exceed a memory bound
inline constexpr const char* kInvalidArg = "E_INVALID_ARG";  // bad argument reaching native (TS should catch first)
inline constexpr const char* kEncode = "E_ENCODE";        // writing / codec round-trip failed
inline constexpr const char* kInternal = "E_INTERNAL";
}  // namespace codes

class Error : public std::runtime_error {
 public:
  Error(std::string code, const std::string& message, std::string path = "")
      : std::runtime_error(message), code_(std::move(code)), path_(std::move(path)) {}
  const std::string& code() const { return code_; }
  const std::string& path() const { return path_; }

 private:
  std::string code_;
  std::string path_;
};

}  // namespace melguard
