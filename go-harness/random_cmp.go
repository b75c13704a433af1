package main

// random_cmp.go — sameGoValue: reflect.DeepEqual for decoded values, except that
//   - floats and complex parts compare by their bits (NaN == the same NaN, 0 != -0),
//   - time.Time compares by instant + zone offset (two decodes of a FixedZone time get two
//     different *time.Location, so DeepEqual would always say false),
//   - map keys are matched with the same rules (a key -0.0 only matches -0.0; keys of
//     interface type match only with the same dynamic type).
// Unexported fields are compared too (read through reflect, never via Interface()).
// The error names the first difference with a path ($ = top level).

import (
	"fmt"
	"math"
	"reflect"
	"time"
	"unsafe"
)

// sameGoValue reports nil when a and b (two decodes into the same Go type) are equal.
func sameGoValue(a, b interface{}) error {
	return rndSame(reflect.ValueOf(a), reflect.ValueOf(b), "$")
}

func rndShow(v reflect.Value) string {
	if !v.IsValid() {
		return "<nil>"
	}
	var s string
	if v.CanInterface() {
		s = fmt.Sprintf("%#v", v.Interface())
	} else {
		s = fmt.Sprintf("<%s>", v.Type())
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// rndBits32 returns the exact bits of a float32-kind value (v.Float() would widen it).
func rndBits32(v reflect.Value) uint32 {
	if v.CanAddr() {
		return *(*uint32)(unsafe.Pointer(v.UnsafeAddr()))
	}
	if v.CanInterface() {
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		return *(*uint32)(unsafe.Pointer(c.UnsafeAddr()))
	}
	return math.Float32bits(float32(v.Float()))
}

func rndBitsC64(v reflect.Value) [2]uint32 {
	if v.CanAddr() {
		return *(*[2]uint32)(unsafe.Pointer(v.UnsafeAddr()))
	}
	if v.CanInterface() {
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		return *(*[2]uint32)(unsafe.Pointer(c.UnsafeAddr()))
	}
	x := v.Complex()
	return [2]uint32{math.Float32bits(float32(real(x))), math.Float32bits(float32(imag(x)))}
}

func rndTimeOf(v reflect.Value) (time.Time, bool) {
	if v.CanInterface() {
		return v.Interface().(time.Time), true
	}
	if v.CanAddr() {
		return *(*time.Time)(unsafe.Pointer(v.UnsafeAddr())), true
	}
	return time.Time{}, false
}

func rndSame(a, b reflect.Value, path string) error {
	if !a.IsValid() || !b.IsValid() {
		if a.IsValid() != b.IsValid() {
			return fmt.Errorf("%s: %s vs %s", path, rndShow(a), rndShow(b))
		}
		return nil
	}
	if a.Type() != b.Type() {
		return fmt.Errorf("%s: type %s vs %s", path, a.Type(), b.Type())
	}
	diff := func() error { return fmt.Errorf("%s: %s vs %s", path, rndShow(a), rndShow(b)) }
	switch a.Kind() {
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return diff()
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			return diff()
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if a.Uint() != b.Uint() {
			return diff()
		}
	case reflect.Float32:
		if x, y := rndBits32(a), rndBits32(b); x != y {
			return fmt.Errorf("%s: float32 bits %08x vs %08x", path, x, y)
		}
	case reflect.Float64:
		if x, y := math.Float64bits(a.Float()), math.Float64bits(b.Float()); x != y {
			return fmt.Errorf("%s: float64 bits %016x vs %016x (%v vs %v)", path, x, y, a.Float(), b.Float())
		}
	case reflect.Complex64:
		if x, y := rndBitsC64(a), rndBitsC64(b); x != y {
			return fmt.Errorf("%s: complex64 bits %08x vs %08x", path, x, y)
		}
	case reflect.Complex128:
		x, y := a.Complex(), b.Complex()
		if math.Float64bits(real(x)) != math.Float64bits(real(y)) || math.Float64bits(imag(x)) != math.Float64bits(imag(y)) {
			return diff()
		}
	case reflect.String:
		if a.String() != b.String() {
			return fmt.Errorf("%s: %q vs %q", path, a.String(), b.String())
		}
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			return fmt.Errorf("%s: nil slice vs empty slice (a nil: %v, b nil: %v)", path, a.IsNil(), b.IsNil())
		}
		fallthrough
	case reflect.Array:
		if a.Len() != b.Len() {
			return fmt.Errorf("%s: length %d vs %d", path, a.Len(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if err := rndSame(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if a.IsNil() != b.IsNil() {
			return fmt.Errorf("%s: nil map vs empty map (a nil: %v, b nil: %v)", path, a.IsNil(), b.IsNil())
		}
		if a.Len() != b.Len() {
			return fmt.Errorf("%s: map length %d vs %d", path, a.Len(), b.Len())
		}
		type pair struct{ k, v reflect.Value }
		var bs []pair
		for it := b.MapRange(); it.Next(); {
			bs = append(bs, pair{it.Key(), it.Value()})
		}
		used := make([]bool, len(bs))
		for it := a.MapRange(); it.Next(); {
			k := it.Key()
			found := -1
			for j := range bs {
				if !used[j] && rndSame(k, bs[j].k, "") == nil {
					found = j
					break
				}
			}
			if found < 0 {
				return fmt.Errorf("%s: key %s (%s) missing in the second map", path, rndShow(k), rndKeyType(k))
			}
			used[found] = true
			if err := rndSame(it.Value(), bs[found].v, fmt.Sprintf("%s{%s}", path, rndShow(k))); err != nil {
				return err
			}
		}
	case reflect.Pointer:
		if a.IsNil() != b.IsNil() {
			return diff()
		}
		if a.IsNil() || a.Pointer() == b.Pointer() {
			return nil
		}
		return rndSame(a.Elem(), b.Elem(), "*"+path)
	case reflect.Interface:
		if a.IsNil() != b.IsNil() {
			return diff()
		}
		if a.IsNil() {
			return nil
		}
		return rndSame(a.Elem(), b.Elem(), path+".("+a.Elem().Type().String()+")")
	case reflect.Struct:
		if a.Type() == rndTimeType {
			ta, ok1 := rndTimeOf(a)
			tb, ok2 := rndTimeOf(b)
			if !ok1 || !ok2 {
				return fmt.Errorf("%s: cannot read time.Time", path)
			}
			_, oa := ta.Zone()
			_, ob := tb.Zone()
			if !ta.Equal(tb) || oa != ob {
				return fmt.Errorf("%s: time %s vs %s", path, ta.Format(time.RFC3339Nano), tb.Format(time.RFC3339Nano))
			}
			return nil
		}
		for i := 0; i < a.NumField(); i++ {
			if err := rndSame(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); err != nil {
				return err
			}
		}
	case reflect.Func:
		if !a.IsNil() || !b.IsNil() {
			return fmt.Errorf("%s: non-nil func", path)
		}
	case reflect.Chan, reflect.UnsafePointer:
		if a.Pointer() != b.Pointer() {
			return diff()
		}
	default:
		return fmt.Errorf("%s: cannot compare kind %s", path, a.Kind())
	}
	return nil
}

func rndKeyType(k reflect.Value) string {
	if k.Kind() == reflect.Interface && !k.IsNil() {
		return k.Elem().Type().String()
	}
	return k.Type().String()
}
