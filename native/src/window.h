// Analysis windows exactly as scipy.signal.get_window(name, winLength, fftbins=True) (periodic),
// then librosa.util.pad_center to nFft.
#pragma once
#include <vector>

#include "engine.h"

namespace melguard {

// Periodic window of length winLength, float64 as scipy computes it.
std::vector<double> PeriodicWindow(WindowType type, int winLength);

// Left zero padding librosa.util.pad_center puts before a window of winLength inside nFft.
inline int WindowOffset(int nFft, int winLength) { return (nFft - winLength) / 2; }

const char* WindowName(WindowType type);

}  // namespace melguard
