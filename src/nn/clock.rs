//! Where training reads the time: an injectable clock, because `std::time::Instant` does not
//! exist on wasm32-unknown-unknown (the web layer passes one over `performance.now()`).

/// A monotonic clock in seconds; `None` when no clock is available (timings not measured).
pub trait Clock {
    fn now_seconds(&self) -> Option<f64>;
}

/// No clock: every timing is reported as not measured.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoClock;

impl Clock for NoClock {
    fn now_seconds(&self) -> Option<f64> {
        None
    }
}

/// `std::time::Instant`, counted from the clock's creation (native targets only).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug)]
pub struct SystemClock(std::time::Instant);

#[cfg(not(target_arch = "wasm32"))]
impl Default for SystemClock {
    fn default() -> Self {
        SystemClock(std::time::Instant::now())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for SystemClock {
    fn now_seconds(&self) -> Option<f64> {
        Some(self.0.elapsed().as_secs_f64())
    }
}

/// The best clock of the target: [`SystemClock`] natively, [`NoClock`] on wasm.
pub fn default_clock() -> Box<dyn Clock> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        Box::new(SystemClock::default())
    }
    #[cfg(target_arch = "wasm32")]
    {
        Box::new(NoClock)
    }
}
